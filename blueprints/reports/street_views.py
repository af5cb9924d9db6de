"""The street office's review of reports, in place from the console queue."""
from flask import abort
from flask_login import current_user, login_required

from blueprints.reports import bp, operations
from blueprints.reports.moderation import queue_item
from core.access import street_or_404
from core.forms import ReasonForm
from core.moderation import decide
from models import Event, Report


def street_report_or_404(street, report_id):
    report = Report.select().join(Event).where(Report.id == report_id, Event.street == street).first()
    if report is None:
        abort(404)
    return report


@bp.post("/streets/<slug>/reports/<int:report_id>/accept")
@login_required
def accept(slug, report_id):
    """通过: the event becomes 已报告."""
    street = street_or_404(slug)
    report = street_report_or_404(street, report_id)
    return decide(lambda r: queue_item(r, street), report, lambda: operations.accept(report, current_user))


@bp.post("/streets/<slug>/reports/<int:report_id>/return")
@login_required
def return_(slug, report_id):
    """退回修改 with the comment the organization reads."""
    street = street_or_404(slug)
    report = street_report_or_404(street, report_id)
    form = ReasonForm()
    return decide(lambda r: queue_item(r, street), report,
                  lambda: operations.return_report(report, current_user, form.reason.data), form)
