"""Who may manage accounts: the district admin, over the staff of their own district; street offices issue
temporary passwords to the members of their streets' organizations."""
from flask_babel import gettext as _

from core.errors import PermissionDenied
from core.policy import Policy
from models import District, Membership, Organization, Street, User

#: The accounts a district admin creates and may stop.
STAFF_ROLES = ("street_moderator", "reviewer", "partner")


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
            raise PermissionDenied(_("只能管理本区的街镇管理员、评审专家和公益伙伴账号"))

    def move_street(self, user, account):
        """The admin of the moderator's district moves them to another of its streets."""
        _district_admin(user, user.district_id)
        if account.role != "street_moderator" or staff_district_id(account) != user.district_id:
            raise PermissionDenied(_("只能调动本区的街镇管理员"))

    def reset_password(self, user, account):
        """A temporary password: a street moderator for the members of their street's organizations; the district
        admin for the members of their district's organizations and for the district's staff; never one's own."""
        if not user.is_authenticated or account.id == user.id:
            raise PermissionDenied(_("不能重置这个账号的密码"))
        if account.role == "member":
            if user.is_moderator and user.street_id is not None:
                if _belongs_to(account, Organization.street == user.street_id):
                    return
            elif user.is_district_admin and user.district_id is not None:
                if _belongs_to(account, Street.district == user.district_id):
                    return
        elif account.role in STAFF_ROLES and user.is_district_admin and user.district_id is not None:
            if staff_district_id(account) == user.district_id:
                return
        raise PermissionDenied(_("不能重置这个账号的密码"))


def _belongs_to(account, where):
    """Whether ``account`` is a member of an organization that ``where`` (on Organization or Street) selects."""
    return (
        Membership.select()
        .join(Organization)
        .join(Street)
        .where(Membership.user == account.id, where)
        .exists()
    )


def staff_district_id(account):
    """The district a staff account belongs to: its street's for a moderator, its own for a reviewer."""
    if account.role == "street_moderator":
        return account.street.district_id if account.street_id else None
    return account.district_id
