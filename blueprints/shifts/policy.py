"""Who may sign in and out, see the roster, correct and export: the organization's members for themselves, its
admins for everybody's hours."""
from flask_babel import gettext as _

from blueprints.shifts import queries
from core.errors import LifecycleError, PermissionDenied
from core.policy import Policy, member
from models import Shift


class ShiftPolicy(Policy):
    model = Shift

    def start(self, user, shift):
        """A member signs themself in while the event is on, one open shift at a time."""
        member(user, shift.event.organization)
        if not queries.is_on(shift.event):
            raise LifecycleError(_("只能在活动签到开始后、结束后 %(h)s 小时内签到上岗", h=queries.GRACE_HOURS))
        if queries.open_shift(shift.event, user) is not None:
            raise LifecycleError(_("你已签到上岗，请先签退"))

    def stop(self, user, shift):
        """The volunteer signs their own open shift out."""
        member(user, shift.event.organization)
        if shift.volunteer_id != user.id:
            raise PermissionDenied(_("只能为自己签退"))
        if shift.ended_at is not None:
            raise LifecycleError(_("已经签退过了"))

    def correct(self, user, shift):
        """The organization's admin corrects the hours of an entry (with a reason)."""
        member(user, shift.event.organization, admin=True)


def administer(user, event):
    """The event's roster and its export with full phones: the organization's admins only."""
    member(user, event.organization, admin=True)
