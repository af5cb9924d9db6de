"""Who may assign reviewers (the admin of the campaign's district), who may score a proposal (its assigned reviewer,
until scoring closes) and who may declare 回避 (a reviewer of the organization's district)."""
from flask_babel import gettext as _

from core.errors import LifecycleError, PermissionDenied
from core.policy import Policy
from models import Assignment, Conflict, utcnow


def district_admin_of(user, campaign):
    """PermissionDenied unless ``user`` is the admin of the campaign's district."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None
            and user.district_id == campaign.district_id):
        raise PermissionDenied(_("只有本区的区管理员可以分配评审专家"))


class AssignmentPolicy(Policy):
    model = Assignment

    def assign(self, user, assignment):
        """Assign or unassign a reviewer, and follow the scoring's progress (``assignment.proposal`` names the
        campaign): its district's admin."""
        district_admin_of(user, assignment.proposal.campaign)

    def view(self, user, assignment):
        """The review sheet and the proposal's files: the assigned reviewer only (everyone else: 404)."""
        if not (user.is_authenticated and assignment.reviewer_id == user.id):
            raise PermissionDenied(_("这份评审表不是分配给您的"))

    def score(self, user, assignment):
        """Save or submit scores: the assigned reviewer, active, the proposal still eligible, before scoring closes.
        A submitted sheet may be changed and submitted again until then."""
        self.view(user, assignment)
        if not user.active or user.role != "reviewer":
            raise PermissionDenied(_("只有在职的评审专家可以评分"))
        if assignment.proposal.status != "eligible":
            raise LifecycleError(_("这份申报书已不在评审范围内，不能评分"))
        if utcnow() >= assignment.proposal.campaign.review_ends_at:
            raise LifecycleError(_("专家评审已截止，评分不能再修改"))


class ConflictPolicy(Policy):
    model = Conflict

    def declare(self, user, conflict):
        """A reviewer declares 回避 with an organization of the district they serve."""
        if not (user.is_authenticated and user.role == "reviewer" and user.district_id is not None
                and conflict.reviewer_id == user.id
                and conflict.organization.street.district_id == user.district_id):
            raise PermissionDenied(_("只有本区的评审专家可以声明回避"))
