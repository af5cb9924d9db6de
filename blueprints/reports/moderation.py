"""What the street office's queue shows of a submitted report, and its decisions: accept, or return with a comment."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.reports.policy import STATUS_LABELS
from core.moderation import Decision, QueueItem
from core.policy import can


def queue_item(report, street):
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, slug=street.slug, report_id=report.id)
        return Decision(url, text, **extra) if can(current_user, action, report) else None

    return QueueItem(
        obj=report,
        dom_id=f"report-{report.id}",
        title=_("活动报告：%(title)s", title=report.event.title),
        href=url_for("reports.edit", event_id=report.event_id),
        summary="reports/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#report-queue",
        status=report.status,
        status_label=str(STATUS_LABELS.get(report.status, report.status)),
        note=report.return_note if report.status == "returned" else "",
        approve=decision("reports.accept", "accept", _("通过")),
        reject=decision("reports.return_", "return", _("退回修改"),
                        reason_label=_("需要修改的内容（组织会看到）"), confirm=_("确认退回")),
    )
