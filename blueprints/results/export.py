"""The results as an Excel workbook: one row per eligible proposal in ranking order, a column per reviewer × criterion,
each reviewer's total, the combined score and the decision. Every text cell goes through core.exports.cell."""
import io

from flask import send_file
from flask_babel import gettext as _
from openpyxl import Workbook

from blueprints.campaigns import scoring
from blueprints.results import queries
from core.exports import XLSX, cell


def number(value):
    """A Decimal score as a spreadsheet number (None stays an empty cell)."""
    return None if value is None else float(value)


def table(campaign):
    """The header row and one row per eligible proposal, as plain values."""
    criteria = list(campaign.ordered_criteria())
    rows = queries.ranking(campaign)
    reviewers = sorted({s.reviewer.id: s.reviewer for row in rows for s in row.sheets}.values(), key=lambda u: u.id)
    header = [_("名次"), _("申报组织"), _("项目名称"), _("项目类别"), _("申请金额（元）")]
    header += [f"{reviewer.name}·{criterion.name}" for reviewer in reviewers for criterion in criteria]
    header += [_("%(name)s·总分", name=reviewer.name) for reviewer in reviewers]
    header += [_("综合得分"), _("评审结果"), _("资助金额（元）")]
    decisions = {"funded": _("立项"), "unfunded": _("未立项")}
    body = []
    for row in rows:
        proposal = row.proposal
        sheets = {s.reviewer.id: s for s in row.sheets}
        line = [row.place, proposal.organization.name, proposal.title,
                proposal.category.name if proposal.category else "", proposal.amount_requested]
        for reviewer in reviewers:
            sheet = sheets.get(reviewer.id)
            line += [number(score) for score in sheet.scores] if sheet else [None] * len(criteria)
        line += [number(sheets[r.id].total) if r.id in sheets else None for r in reviewers]
        line += [number(scoring.display(row.combined)), decisions.get(proposal.decision, ""),
                 proposal.amount_granted if proposal.decision == "funded" else None]
        body.append(line)
    return [header, *body]


def workbook_response(campaign):
    """The table as an .xlsx download, its header row frozen; numbers stay numbers, text is inert."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("评审结果")
    for row in table(campaign):
        sheet.append([None if value is None else cell(value) for value in row])
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, str):
                written.data_type = "s"  # text, whatever openpyxl would guess from its first character
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True,
                         download_name=f"results-{campaign.id}.xlsx", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
