"""What the street office's queue shows of an event, and the decisions it offers (publish, return with a reason)."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.moderation import Decision, QueueItem
from core.policy import can
from core.templating import label
from models import EventStatus


def queue_item(event, street, batch=False):
    """The event as a row of ``street``'s queue; ``batch``: it can be ticked to publish several at once."""
    status = event.current_status
    return QueueItem(
        obj=event,
        dom_id=f"event-{event.id}",
        title=event.title,
        href=url_for("events.manage", event_id=event.id),
        summary="events/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#event-queue",
        status=status,
        status_label=label(status, "event_status"),
        note=event.return_reason if event.status == EventStatus.RETURNED else "",
        approve=Decision(url_for("events.publish", slug=street.slug, event_id=event.id), _("发布"))
        if can(current_user, "publish", event) else None,
        reject=Decision(
            url_for("events.return_", slug=street.slug, event_id=event.id), _("退回"),
            reason_label=_("退回的理由（组织会看到）"), confirm=_("确认退回"),
        ) if can(current_user, "return", event) else None,
        batch_form="batch-publish" if batch else "",
    )
