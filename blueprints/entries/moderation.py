"""What the street office's queue shows of a sign-up, and its two decisions: confirm, or return saying what to
change."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.moderation import Decision, QueueItem
from core.policy import can
from core.templating import label


def queue_item(entry, street):
    """The sign-up as a row of ``street``'s console queue."""
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, slug=street.slug, entry_id=entry.id)
        return Decision(url, text, **extra) if can(current_user, action, entry) else None

    return QueueItem(
        obj=entry,
        dom_id=f"entry-{entry.id}",
        title=entry.organization.name,
        href=url_for("orgs.detail", org_id=entry.organization_id),
        summary="entries/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#entry-queue",
        status=entry.status,
        status_label=label(entry.status, "entry_status"),
        note=entry.note if entry.status == "returned" else "",
        approve=decision("entries.confirm", "confirm", _("确认报名")),
        reject=decision("entries.return_", "return", _("退回修改"),
                        reason_label=_("需要修改的内容（组织会看到）"), confirm=_("确认退回修改")),
    )
