"""The event's lifecycle and who may move it: one place for the buttons, the views' checks and the operations."""
from flask_babel import gettext as _

from core.errors import LifecycleError
from core.lifecycle import Lifecycle
from core.policy import Policy, member, watcher
from core.templating import label
from models import Event, utcnow
from models import EventStatus as S

LIFECYCLE = Lifecycle(
    "event",
    {
        "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
        "publish": ({S.SUBMITTED}, S.PUBLISHED),
        "return": ({S.SUBMITTED}, S.RETURNED),
        "cancel": ({S.DRAFT, S.SUBMITTED, S.RETURNED, S.PUBLISHED}, S.CANCELLED),
        "end": ({S.PUBLISHED}, S.ENDED),
        "report": ({S.ENDED}, S.REPORTED),
    },
    labels="event_status",
    # Ending records what time has already done; everything else goes by the status residents see.
    status_of=lambda event, action: event.status if action == "end" else event.current_status,
    # A published event whose end has passed is ended, though the hourly command may not have recorded it yet.
    stored=lambda statuses: statuses | {S.PUBLISHED} if S.ENDED in statuses else statuses,
    refusal=lambda event, status: _("活动当前状态（%(status)s）不能进行这项操作", status=label(status, "event_status")),
)

#: Statuses in which an event can still be changed; its organization's volunteers may change drafts only.
EDITABLE = {S.DRAFT, S.RETURNED, S.SUBMITTED, S.PUBLISHED}
VOLUNTEER_EDITABLE = {S.DRAFT, S.RETURNED}


class EventPolicy(Policy):
    model = Event
    lifecycle = LIFECYCLE

    def edit(self, user, event):
        """Its members edit drafts and returned events; its admins also submitted and published ones."""
        membership = member(user, event.organization)
        if event.current_status not in EDITABLE:
            raise LifecycleError(_("活动已结束或已取消，不能再修改"))
        if event.status not in VOLUNTEER_EDITABLE:
            member(user, event.organization, admin=True)
        return membership

    def copy(self, user, event):
        """Any member copies an event into a new draft."""
        member(user, event.organization)

    def submit(self, user, event):
        member(user, event.organization, admin=True)
        if event.organization.status != "active":
            raise LifecycleError(_("组织通过审核后才能提交活动"))

    def cancel(self, user, event):
        member(user, event.organization, admin=True)

    def report(self, user, event):
        member(user, event.organization, admin=True)

    def publish(self, user, event):
        """The office of the venue's street decides."""
        watcher(user, event.street, _("只有活动所在街镇的管理员可以审核"))

    def return_(self, user, event):
        watcher(user, event.street, _("只有活动所在街镇的管理员可以审核"))

    def end(self, user, event):
        """Time ends an event: nobody needs to, but not before its end."""
        if event.status == S.PUBLISHED and event.ends_at > utcnow():
            raise LifecycleError(_("活动还没有结束"))

    def record_checkin(self, user, event):
        """A member of the organization checks in a resident who has no phone."""
        member(user, event.organization)

    def export_phones(self, user, event):
        """Full phone numbers leave only with the organization's admin (and the export is logged)."""
        member(user, event.organization, admin=True)
