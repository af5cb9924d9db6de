"""What the street office's queue shows of a proposal, and the decisions of 资格审查 it offers
(eligible; ineligible with a reason; returned for revision with a comment and a date)."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.errors import LifecycleError, PermissionDenied
from core.moderation import Decision, QueueItem
from core.policy import can, require
from core.templating import label


def why_not(proposal):
    """Why the viewer may not decide on a proposal that waits (the phase is over, say), else ""."""
    try:
        require(current_user, "approve", proposal)
    except (LifecycleError, PermissionDenied) as error:
        return str(error)
    return ""


def queue_item(proposal, street, queue_url=None):
    """The proposal as a row of ``street``'s queue (or of the queue at ``queue_url``, where a decision without
    htmx returns: the district's list of a contest's proposals)."""
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, slug=street.slug, proposal_id=proposal.id, next=queue_url)
        return Decision(url, text, **extra) if can(current_user, action, proposal) else None

    waiting = proposal.status == "submitted"
    return QueueItem(
        obj=proposal,
        dom_id=f"proposal-{proposal.id}",
        title=proposal.title or _("未命名的申报书"),
        href=url_for("proposals.detail", proposal_id=proposal.id),
        summary="proposals/_queue_summary.html",
        queue_url=queue_url or url_for("streets.console", slug=street.slug) + "#proposal-queue",
        status=proposal.status,
        status_label=label(proposal.status, "proposal_status"),
        note=why_not(proposal) if waiting else proposal.check_note or "",
        approve=decision("proposals.eligible", "approve", _("合格")),
        reject=decision("proposals.ineligible", "reject", _("不合格"),
                        reason_label=_("不合格的理由（组织会看到）"), confirm=_("确认不合格")),
        revise=decision("proposals.return_", "return", _("退回修改"),
                        reason_label=_("需要修改的内容（组织会看到）"), confirm=_("确认退回修改")),
    )
