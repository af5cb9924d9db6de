"""What the street office's queue shows of a need or offer, and its two decisions: publish, or return with a
reason."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.moderation import Decision, QueueItem
from core.policy import can
from core.templating import label


def queue_item(need, street):
    """The need as a row of ``street``'s queue."""
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, slug=street.slug, need_id=need.id)
        return Decision(url, text, **extra) if can(current_user, action, need) else None

    return QueueItem(
        obj=need,
        dom_id=f"need-{need.id}",
        title=need.title,
        href=url_for("partners.detail", need_id=need.id),
        summary="partners/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#need-queue",
        status=need.status,
        status_label=label(need.status, "need_status"),
        note=need.return_reason if need.status == "returned" else "",
        approve=decision("partners.publish", "publish", _("发布")),
        reject=decision("partners.return_", "return", _("退回"),
                        reason_label=_("退回的理由（组织会看到）"), confirm=_("确认退回")),
    )
