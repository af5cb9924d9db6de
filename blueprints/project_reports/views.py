"""The organization's side: its project's mid-term and final reports, written on one page, saved and submitted;
and the 项目报告 part of the project's page."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.project_reports import bp, operations, queries
from blueprints.project_reports.forms import ProjectReportForm
from blueprints.project_reports.policy import KIND_LABELS, STATUS_LABELS
from blueprints.projects.queries import project_or_none
from blueprints.reports.policy import STATUS_LABELS as EVENT_REPORT_LABELS
from core.errors import ValidationError
from core.forms import apply_errors
from core.policy import can, require
from models import ProjectReport
from models.reports import PROJECT_REPORT_KINDS


def report_or_404(proposal_id, kind):
    """The project's report of ``kind`` (unsaved while nobody has started it), for those who may read it."""
    proposal = project_or_none(proposal_id)
    if proposal is None or kind not in PROJECT_REPORT_KINDS:
        abort(404)
    report = queries.report_or_none(proposal, kind) or ProjectReport(project=proposal, kind=kind)
    report.project = proposal
    if not can(current_user, "view", report):
        abort(404)
    return report


def page(report, form=None, status=200):
    proposal = report.project
    if form is None:
        form = ProjectReportForm(formdata=None, obj=report)
    return render_template(
        "project_reports/edit.html", report=report, proposal=proposal, form=form,
        kind_label=KIND_LABELS[report.kind], status_labels=STATUS_LABELS, editable=can(current_user, "edit", report),
    ), status


@bp.get("/projects/<int:proposal_id>/reports/<kind>")
@login_required
def edit(proposal_id, kind):
    """The report: a form for the organization's admins while they may write it, else what was handed in."""
    return page(report_or_404(proposal_id, kind))


def write(proposal_id, kind, action):
    """Save the form, then (for ``submit``) hand the report in; bad input comes back beside its field (422)."""
    report = report_or_404(proposal_id, kind)
    require(current_user, action, report)
    form = ProjectReportForm()
    if not form.validate_on_submit():
        return page(report, form, 422)
    try:
        report = operations.save(report.project, kind, current_user, form.values(),
                                 report if report.id is not None else None)
        if action == "submit":
            operations.submit(report, current_user)
    except ValidationError as error:
        apply_errors(form, error)
        return page(report, form, 422)
    flash(_("已提交，等待区管理员审核") if action == "submit" else _("已保存"), "success")
    return redirect(url_for("project_reports.edit", proposal_id=proposal_id, kind=kind), code=303)


@bp.post("/projects/<int:proposal_id>/reports/<kind>")
@login_required
def save(proposal_id, kind):
    """Save the draft (the first save starts it)."""
    return write(proposal_id, kind, "edit")


@bp.post("/projects/<int:proposal_id>/reports/<kind>/submit")
@login_required
def submit(proposal_id, kind):
    """Save what the form holds and send the report to the district admin."""
    return write(proposal_id, kind, "submit")


@bp.app_template_global("project_reports_section")
def project_reports_section(proposal):
    """What the project's page shows of its reports, or None to whoever may not read them (the public)."""
    if not can(current_user, "view", ProjectReport(project=proposal, kind="midterm")):
        return None
    reports = queries.reports_of(proposal)
    kinds = []
    for kind in PROJECT_REPORT_KINDS:
        report = reports[kind] or ProjectReport(project=proposal, kind=kind)
        report.project = proposal
        kinds.append({"kind": kind, "label": KIND_LABELS[kind], "report": reports[kind],
                      "editable": can(current_user, "edit", report)})
    events = queries.event_reports(proposal)
    for event in events:
        event.report_visible = event.report is not None and can(current_user, "view", event.report)
    return {"kinds": kinds, "events": events, "status_labels": STATUS_LABELS, "event_labels": EVENT_REPORT_LABELS}
