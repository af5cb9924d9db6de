"""Who may manage accounts: the district admin, over the staff of their own district."""
from flask_babel import gettext as _

from core.errors import PermissionDenied
from core.policy import Policy
from models import District, User

#: The accounts a district admin creates and may stop.
STAFF_ROLES = ("street_moderator", "reviewer")


def _district_admin(user, district_id):
    if not (user.is_authenticated and user.is_district_admin and user.district_id == district_id):
        raise PermissionDenied(_("只有区管理员可以管理账号"))


class DistrictPolicy(Policy):
    model = District

    def manage_staff(self, user, district):
        """Its admin creates moderators for its streets, and reviewers."""
        _district_admin(user, district.id)


class UserPolicy(Policy):
    model = User

    def set_active(self, user, account):
        """The admin of the account's district stops or restores it: a moderator of one of its streets, or a
        reviewer of the district; never their own."""
        _district_admin(user, user.district_id)
        if account.id == user.id:
            raise PermissionDenied(_("不能停用自己的账号"))
        in_district = user.district_id is not None and staff_district_id(account) == user.district_id
        if account.role not in STAFF_ROLES or not in_district:
            raise PermissionDenied(_("只能管理本区的街镇管理员和评审专家账号"))


def staff_district_id(account):
    """The district a staff account belongs to: its street's for a moderator, its own for a reviewer."""
    if account.role == "street_moderator":
        return account.street.district_id if account.street_id else None
    return account.district_id
