"""The district admin's review of project reports: a queue of the district's submitted ones, decided in place."""
from flask import abort, render_template
from flask_login import current_user

from blueprints.project_reports import bp, operations, queries
from blueprints.project_reports.moderation import queue_item
from core.access import role_required
from core.forms import ReasonForm
from core.moderation import decide


def district_report_or_404(report_id):
    report = queries.district_report_or_none(current_user, report_id)
    if report is None:
        abort(404)
    return report


@bp.get("/projects/reports/")
@role_required("district_admin")
def queue():
    """Mid-term and final reports of the district's projects waiting for a decision, the oldest first."""
    items = [queue_item(report) for report in queries.waiting(current_user)]
    return render_template("project_reports/queue.html", items=items, reason_form=ReasonForm(formdata=None))


@bp.post("/projects/reports/<int:report_id>/accept")
@role_required("district_admin")
def accept(report_id):
    """通过."""
    report = district_report_or_404(report_id)
    return decide(queue_item, report, lambda: operations.accept(report, current_user))


@bp.post("/projects/reports/<int:report_id>/return")
@role_required("district_admin")
def return_(report_id):
    """退回修改 with the comment the organization reads."""
    report = district_report_or_404(report_id)
    form = ReasonForm()
    return decide(queue_item, report, lambda: operations.return_report(report, current_user, form.reason.data), form)
