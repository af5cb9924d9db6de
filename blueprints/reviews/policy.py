"""Who may assign reviewers (the admin of the campaign's district) and who may declare 回避 (a reviewer of the
organization's district)."""
from flask_babel import gettext as _

from core.errors import PermissionDenied
from core.policy import Policy
from models import Assignment, Conflict


def district_admin_of(user, campaign):
    """PermissionDenied unless ``user`` is the admin of the campaign's district."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None
            and user.district_id == campaign.district_id):
        raise PermissionDenied(_("只有本区的区管理员可以分配评审专家"))


class AssignmentPolicy(Policy):
    model = Assignment

    def assign(self, user, assignment):
        """Assign or unassign a reviewer (``assignment.proposal`` names the campaign): its district's admin."""
        district_admin_of(user, assignment.proposal.campaign)


class ConflictPolicy(Policy):
    model = Conflict

    def declare(self, user, conflict):
        """A reviewer declares 回避 with an organization of the district they serve."""
        if not (user.is_authenticated and user.role == "reviewer" and user.district_id is not None
                and conflict.reviewer_id == user.id
                and conflict.organization.street.district_id == user.district_id):
            raise PermissionDenied(_("只有本区的评审专家可以声明回避"))
