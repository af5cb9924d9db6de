"""Who may do what with a sign-up: its organization's admins write it during the sign-up window (again after the
street returns it); its members, its street's watchers and the month's district admin read it; the street's
watchers confirm or return it."""
from flask_babel import format_date
from flask_babel import gettext as _

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied
from core.lifecycle import Lifecycle
from core.policy import Policy, member
from core.templating import last_day
from core.timeutil import to_local
from models import MonthEntry

LIFECYCLE = Lifecycle(
    "entry",
    {
        "confirm": ({"pending"}, "confirmed"),
        "return": ({"pending"}, "returned"),
        "withdraw": ({"pending", "returned", "confirmed"}, "withdrawn"),
    },
    labels="entry_status",
)

#: What its organization may still change (a withdrawn one may sign up again, while the window is open).
EDITABLE = ("pending", "returned", "withdrawn")


def window_closed_message(campaign):
    first = format_date(to_local(campaign.application_opens_at).date(), "long")
    return _("报名时间为 %(first)s 至 %(last)s，现在不能报名或修改",
             first=first, last=last_day(campaign.application_closes_at))


def signer(user, entry):
    """An admin of an admitted organization of the month's district, the month published and taking sign-ups."""
    member(user, entry.organization, admin=True)
    campaign = entry.campaign
    if campaign.kind != "month" or campaign.district_id != entry.organization.street.district_id:
        raise PermissionDenied(_("只有本区的社会组织可以报名"))
    if entry.organization.status != "active":
        raise LifecycleError(_("组织通过审核后才能报名"))
    if not campaign.signup_open:
        raise LifecycleError(window_closed_message(campaign))


def confirmer(user, entry):
    """The moderator of the organization's street (or its district's admin), until the month is over."""
    if not can_watch_street(user, entry.organization.street):
        raise PermissionDenied(_("只有报名组织所在街镇的管理员可以确认报名"))
    if entry.campaign.month_phase() == "over":
        raise LifecycleError(_("伙伴月已经结束"))


class MonthEntryPolicy(Policy):
    model = MonthEntry
    lifecycle = LIFECYCLE

    def view(self, user, entry):
        """Its organization's members, its street's watchers, the month's district admin."""
        if membership_of(user, entry.organization) is not None or can_watch_street(user, entry.organization.street):
            return
        if user.is_authenticated and user.is_district_admin and user.district_id == entry.campaign.district_id:
            return
        raise PermissionDenied(_("您无权查看这份报名"))

    def edit(self, user, entry):
        signer(user, entry)
        if entry.status not in EDITABLE:
            raise LifecycleError(_("报名已确认，不能再修改；如需变更请联系街镇"))

    def withdraw(self, user, entry):
        signer(user, entry)

    def confirm(self, user, entry):
        confirmer(user, entry)

    def return_(self, user, entry):
        confirmer(user, entry)
