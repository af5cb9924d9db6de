"""What the district admin's queue shows of a submitted project report, and its decisions: accept, or return."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.project_reports.policy import KIND_LABELS, STATUS_LABELS
from core.moderation import Decision, QueueItem
from core.policy import can


def queue_item(report):
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, report_id=report.id)
        return Decision(url, text, **extra) if can(current_user, action, report) else None

    return QueueItem(
        obj=report,
        dom_id=f"project-report-{report.id}",
        title=_("%(kind)s：%(title)s", kind=KIND_LABELS[report.kind], title=report.project.title),
        href=url_for("project_reports.edit", proposal_id=report.project_id, kind=report.kind),
        summary="project_reports/_queue_summary.html",
        queue_url=url_for("project_reports.queue") + "#queue",
        status=report.status,
        status_label=str(STATUS_LABELS.get(report.status, report.status)),
        note=report.return_note if report.status == "returned" else "",
        approve=decision("project_reports.accept", "accept", _("通过")),
        reject=decision("project_reports.return_", "return", _("退回修改"),
                        reason_label=_("需要修改的内容（组织会看到）"), confirm=_("确认退回")),
    )
