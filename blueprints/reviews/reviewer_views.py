"""The reviewer's pages: their assigned proposals by campaign, the scoring sheet of one, and its attachments.

A sheet is its reviewer's alone: anyone else, another reviewer or a member of the applicant, meets a 404. Under
blind review (匿名评审) nothing on these pages names the applicant, not even an attachment's file name.
"""
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.proposals.operations import budget_lines
from blueprints.reviews import bp, operations, queries
from blueprints.reviews.forms import CriterionScoreForm, ScoreSheetForm
from core.access import role_required
from core.errors import LifecycleError, PermissionDenied, ValidationError
from core.policy import require, visible_or_404
from core.uploads import send_stored
from models import Assignment


def assignment_or_404(assignment_id):
    """The sheet, for its own reviewer; nobody else learns that it exists."""
    return visible_or_404(Assignment, assignment_id, current_user)


def refusal(assignment):
    """Why the current user may not change the sheet now (scoring closed…), or None."""
    try:
        require(current_user, "score", assignment)
    except (PermissionDenied, LifecycleError) as error:
        return str(error)
    return None


def shown(value):
    """A stored score as typed: 17 or 17.5."""
    return "" if value is None else f"{value:f}".removesuffix(".0")


def sheet_forms(assignment, criteria, formdata=None):
    """The sheet's form and one line per criterion, from ``formdata`` (a POST) or from what is stored."""
    stored = queries.sheet_scores(assignment)
    sheet = ScoreSheetForm(formdata=formdata, data={"comment": assignment.comment})
    lines = []
    for position, criterion in enumerate(criteria):
        row = stored.get(criterion.id)
        data = {"score": shown(row.score) if row else "", "comment": row.comment if row else ""}
        lines.append(CriterionScoreForm(formdata=formdata, data=data, prefix=f"criterion-{position}"))
    return sheet, lines


def typed_total(criteria, lines):
    """The sum of the scores on the sheet that are valid numbers (what the page shows as 合计)."""
    total = Decimal(0)
    for criterion, line in zip(criteria, lines, strict=True):
        try:
            total += operations.parse_score(line.score.data, criterion) or 0
        except ValueError:
            continue
    return total


def budget_table(proposal):
    """The budget table's (item, amount) lines, or None when a line is not one (the text is shown as written)."""
    try:
        return budget_lines(proposal.budget_items)
    except ValidationError:
        return None


def sheet_page(assignment, criteria, forms=None, status=200):
    proposal, campaign = assignment.proposal, assignment.proposal.campaign
    sheet, lines = forms or sheet_forms(assignment, criteria)
    others = queries.other_sheets(assignment) if campaign.show_others and assignment.submitted else []
    return render_template(
        "reviews/sheet.html", assignment=assignment, proposal=proposal, campaign=campaign,
        blind=campaign.blind_review, files=list(proposal.ordered_files()), budget=budget_table(proposal),
        criteria=criteria, sheet=sheet, lines=list(zip(criteria, lines, strict=True)),
        total=typed_total(criteria, lines), closed=refusal(assignment), others=others,
        mine=queries.sheet_scores(assignment), state=queries.state(assignment), shown=shown,
        failed=sum(len(form.errors) for form in (sheet, *lines)),
    ), status


@bp.get("/reviews/", endpoint="mine")
@role_required("reviewer")
def mine():
    """A reviewer's assigned proposals by campaign: each one's state and total, the progress, when scoring closes."""
    return render_template("reviews/mine.html", groups=queries.assignments_of(current_user.id))


@bp.route("/reviews/<int:assignment_id>/", methods=["GET", "POST"])
@login_required
def score(assignment_id):
    """The scoring sheet: the proposal and the rubric; 保存 keeps a partial sheet, 提交评分 needs every score."""
    assignment = assignment_or_404(assignment_id)
    criteria = list(assignment.proposal.campaign.ordered_criteria())
    if request.method == "GET":
        return sheet_page(assignment, criteria)
    reason = refusal(assignment)
    if reason:
        flash(_("评分没有保存：%(reason)s", reason=reason), "error")
        return sheet_page(assignment, criteria, status=409)
    sheet, lines = sheet_forms(assignment, criteria, request.form)
    submit = request.form.get("action") == "submit"
    valid = [form.validate() for form in (sheet, *lines)]  # every form, so each says what is wrong with it
    if all(valid):
        entries = {c.id: (line.score.data, line.comment.data) for c, line in zip(criteria, lines, strict=True)}
        try:
            operations.score(assignment, current_user._get_current_object(), entries, sheet.comment.data, submit)
        except ValidationError as error:
            for criterion, line in zip(criteria, lines, strict=True):
                if criterion.id in error.errors:
                    line.score.errors = [*line.score.errors, error.errors[criterion.id]]
        else:
            flash(_("评分已提交") if submit else _("已保存，提交前可以继续修改"), "success")
            return redirect(url_for("reviews.score", assignment_id=assignment.id), code=303)
    return sheet_page(assignment, criteria, (sheet, lines), status=422)


@bp.get("/reviews/<int:assignment_id>/files/<int:file_id>")
@login_required
def download(assignment_id, file_id):
    """An attachment of the proposal, for its assigned reviewer; under blind review as 附件1.pdf, 附件2.docx…"""
    assignment = assignment_or_404(assignment_id)
    files = list(assignment.proposal.ordered_files())
    position = next((n for n, row in enumerate(files, 1) if row.id == file_id), None)
    if position is None:
        abort(404)
    row = files[position - 1]
    blind = assignment.proposal.campaign.blind_review
    return send_stored(row, download_name=_("附件%(n)s", n=position) if blind else row.original_name)
