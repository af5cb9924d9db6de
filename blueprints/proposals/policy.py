"""Who may do what with a proposal: its organization's admins write it while the contest takes applications; its
members, its street's moderator and the contest's district admin read it."""
from flask_babel import gettext as _

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied
from core.lifecycle import Lifecycle
from core.policy import Policy, member
from core.templating import last_day
from models import Proposal, utcnow

LIFECYCLE = Lifecycle(
    "proposal",
    {
        "submit": ({"draft"}, "submitted"),
        "withdraw": ({"draft", "submitted"}, "withdrawn"),
        # 资格审查 by the street office (or the district admin); a returned proposal is revised and resubmitted.
        "approve": ({"submitted"}, "eligible"),
        "reject": ({"submitted"}, "ineligible"),
        "return": ({"submitted"}, "returned"),
        "resubmit": ({"returned"}, "submitted"),
    },
    labels="proposal_status",
    refusal=lambda proposal, status: refusal(status),
)


#: What its authors may still change before the deadline (a returned one is the reviser's, until its own date).
EDITABLE = ("draft", "submitted")


def refusal(status):
    if status in ("eligible", "ineligible", "returned"):
        return _("这份申报书已经审查过了")
    return _("申报书已撤回或已提交，不能进行这项操作")


def checker(user, proposal):
    """The admin of the contest's district at any time (late resubmissions after an extension reach only them), or
    the moderator of the organization's street until the 资格审查 phase ends."""
    campaign = proposal.campaign
    if user.is_authenticated and user.is_district_admin and user.district_id == campaign.district_id:
        return
    if not can_watch_street(user, proposal.organization.street):
        raise PermissionDenied(_("只有申报组织所在街镇的管理员可以审查申报书"))
    if utcnow() >= campaign.eligibility_ends_at:
        raise LifecycleError(_("资格审查阶段已于 %(day)s 结束，这份申报书请区管理员审查",
                               day=last_day(campaign.eligibility_ends_at)))


def reviser(user, proposal):
    """An admin of the organization, a returned proposal, before its revise-by date (even after the deadline)."""
    member(user, proposal.organization, admin=True)
    if proposal.status != "returned":
        raise LifecycleError(_("申报书已提交或已撤回，不能再修改"))
    if proposal.revise_by is not None and utcnow() > proposal.revise_by:
        raise LifecycleError(_("修改期限已过，申报书不能再修改或重新提交"))


def author(user, proposal):
    """An admin of the proposal's organization, the organization admitted, the contest taking applications."""
    member(user, proposal.organization, admin=True)
    if proposal.organization.status != "active":
        raise LifecycleError(_("组织通过审核后才能申报"))
    campaign = proposal.campaign
    if campaign.district_id != proposal.organization.street.district_id:
        raise PermissionDenied(_("只有本区的社会组织可以申报"))
    phase = campaign.phase()
    if not campaign.published or phase == "upcoming":
        raise LifecycleError(_("大赛尚未开始申报"))
    # An extension (延期申报) keeps the organization writing past the deadline, until its own end.
    if phase != "application" and utcnow() >= campaign.deadline_for(proposal.organization):
        raise LifecycleError(_("申报已截止，申报书已锁定，不能再修改或提交"))


class ProposalPolicy(Policy):
    model = Proposal
    lifecycle = LIFECYCLE

    def view(self, user, proposal):
        """Its organization's members, its organization's street's watchers, the contest's district admin."""
        if membership_of(user, proposal.organization) is not None:
            return
        if can_watch_street(user, proposal.organization.street):
            return
        if user.is_authenticated and user.is_district_admin and user.district_id == proposal.campaign.district_id:
            return
        raise PermissionDenied(_("您无权查看这份申报书"))

    def start(self, user, proposal):
        author(user, proposal)

    def edit(self, user, proposal):
        if proposal.status == "returned":
            reviser(user, proposal)
            return
        author(user, proposal)
        # A submitted proposal stays editable until the deadline, unless the street office has decided on it.
        if proposal.status in ("eligible", "ineligible"):
            raise LifecycleError(_("街镇已完成资格审查，申报书不能再修改"))
        if proposal.status not in EDITABLE:
            raise LifecycleError(_("申报书已撤回，不能再修改"))

    def submit(self, user, proposal):
        author(user, proposal)

    def withdraw(self, user, proposal):
        author(user, proposal)

    def resubmit(self, user, proposal):
        reviser(user, proposal)

    def approve(self, user, proposal):
        checker(user, proposal)

    def reject(self, user, proposal):
        checker(user, proposal)

    def return_(self, user, proposal):
        checker(user, proposal)
