"""What the street office's queue shows of a proposal, and the decisions of 资格审查 it offers
(eligible; ineligible with a reason; returned for revision with a comment and a date)."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.moderation import Decision, QueueItem
from core.policy import can
from core.templating import label


def queue_item(proposal, street):
    """The proposal as a row of ``street``'s queue."""
    def decision(endpoint, action, text, **extra):
        url = url_for(endpoint, slug=street.slug, proposal_id=proposal.id)
        return Decision(url, text, **extra) if can(current_user, action, proposal) else None

    return QueueItem(
        obj=proposal,
        dom_id=f"proposal-{proposal.id}",
        title=proposal.title or _("未命名的申报书"),
        href=url_for("proposals.detail", proposal_id=proposal.id),
        summary="proposals/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#proposal-queue",
        status=proposal.status,
        status_label=label(proposal.status, "proposal_status"),
        note=proposal.check_note or "",
        approve=decision("proposals.eligible", "approve", _("合格")),
        reject=decision("proposals.ineligible", "reject", _("不合格"),
                        reason_label=_("不合格的理由（组织会看到）"), confirm=_("确认不合格")),
        revise=decision("proposals.return_", "return", _("退回修改"),
                        reason_label=_("需要修改的内容（组织会看到）"), confirm=_("确认退回修改")),
    )
