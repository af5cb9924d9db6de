"""The event lifecycle: draft → submitted → published or returned → ended → reported; cancelled before the end.

Every transition checks the lifecycle and the actor, and writes the audit log.
"""
import datetime

from flask_babel import gettext as _

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied, ValidationError
from core.templating import label
from models import AuditLog, Event, db, utcnow

#: action → (statuses it may start from, status it leads to)
TRANSITIONS = {
    "submit": ({"draft", "returned"}, "submitted"),
    "publish": ({"submitted"}, "published"),
    "return": ({"submitted"}, "returned"),
    "cancel": ({"draft", "submitted", "returned", "published"}, "cancelled"),
    "end": ({"published"}, "ended"),
    "report": ({"ended"}, "reported"),
}
EDITABLE = {"draft", "returned", "submitted", "published"}
#: Changes residents would notice: a published event that changes them goes back to the street office.
NOTICEABLE = ("starts_at", "ends_at", "venue", "street")
FIELDS = ("title", "description", "category", "starts_at", "ends_at", "venue", "street", "capacity",
          "signup_enabled", "checkin_lead_minutes", "checkin_mode")


def require_member(organization, user, admin=False):
    membership = membership_of(user, organization)
    if membership is None or (admin and membership.role != "admin"):
        raise PermissionDenied(_("只有本组织的管理员可以这样做") if admin else _("只有本组织的成员可以这样做"))


def require_watcher(event, user):
    if not can_watch_street(user, event.street):
        raise PermissionDenied(_("只有活动所在街镇的管理员可以审核"))


def check_times(data, now=None):
    errors = {}
    if data["ends_at"] <= data["starts_at"]:
        errors["end_time"] = _("结束时间要晚于开始时间")
    if data["starts_at"] <= (now or utcnow()):
        errors["start_time"] = _("开始时间已经过去了，请选择以后的时间")
    if errors:
        raise ValidationError(errors)


def create_draft(organization, by, data):
    """A member drafts an event for their organization."""
    require_member(organization, by)
    check_times(data)
    with db.atomic():
        event = Event.create(organization=organization, created_by=by, status="draft", **{f: data[f] for f in FIELDS})
        AuditLog.record(by, "event.draft", event, street=event.street)
    return event


def update_event(event, by, data):
    """Edit an event. A published event whose time or place changes goes back to the street office's queue."""
    require_member(event.organization, by, admin=event.status in ("submitted", "published"))
    if event.current_status not in EDITABLE:
        raise LifecycleError(_("活动已结束或已取消，不能再修改"))
    check_times(data)
    noticeable = event.status == "published" and any(getattr(event, f) != data[f] for f in NOTICEABLE)
    with db.atomic():
        for name in FIELDS:
            setattr(event, name, data[name])
        event.updated_at = utcnow()
        if noticeable:
            event.status = "submitted"
        event.save()
        AuditLog.record(by, "event.resubmit" if noticeable else "event.edit", event, street=event.street)
    return noticeable


def transition(event, by, action, reason=None):
    """Move ``event`` along the lifecycle, or raise LifecycleError."""
    sources, target = TRANSITIONS[action]
    # Ending records what time has already done; everything else goes by the status residents see.
    status = event.status if action == "end" else event.current_status
    if action == "end" and status == "published" and event.ends_at > utcnow():
        raise LifecycleError(_("活动还没有结束"))
    if status not in sources:
        raise LifecycleError(_("活动当前状态（%(status)s）不能进行这项操作", status=label(status, "event_status")))
    if action in ("return", "cancel") and not (reason or "").strip():
        raise ValidationError({"reason": _("请写明理由")})
    with db.atomic():
        event.status = target
        if action == "return":
            event.return_reason = reason.strip()
        elif action == "cancel":
            event.cancel_reason = reason.strip()
        elif action == "publish":
            event.published_at, event.published_by = utcnow(), by
            event.return_reason = None
        event.updated_at = utcnow()
        event.save()
        AuditLog.record(by, f"event.{action}", event, detail=(reason or "").strip(), street=event.street)
    return event


def submit(event, by):
    """The org admin sends the event to the street office of its venue."""
    require_member(event.organization, by, admin=True)
    if event.organization.status != "active":
        raise LifecycleError(_("组织通过审核后才能提交活动"))
    if event.starts_at <= utcnow():
        raise ValidationError({"start_time": _("开始时间已经过去了，请先修改时间")})
    return transition(event, by, "submit")


def publish(event, by):
    require_watcher(event, by)
    return transition(event, by, "publish")


def return_event(event, by, reason):
    require_watcher(event, by)
    return transition(event, by, "return", reason)


def cancel(event, by, reason):
    """The org admin cancels before the end; residents see the reason."""
    require_member(event.organization, by, admin=True)
    return transition(event, by, "cancel", reason)


def end_event(event, by=None):
    """A published event whose end has passed is ended (done by time, so ``by`` is usually nobody)."""
    return transition(event, by, "end")


def mark_reported(event, by):
    require_member(event.organization, by, admin=True)
    return transition(event, by, "report")


def end_past_events(now=None):
    """Record every published event whose end has passed as ended; returns how many."""
    count = 0
    for event in Event.select().where(Event.status == "published", Event.ends_at <= (now or utcnow())):
        end_event(event)
        count += 1
    return count


def copy_event(event, by):
    """A new draft with the same content, a week on: the same weekday and time, in the first week that lies ahead."""
    require_member(event.organization, by)
    week = datetime.timedelta(days=7)
    starts_at, ends_at = event.starts_at + week, event.ends_at + week
    while starts_at <= utcnow():
        starts_at, ends_at = starts_at + week, ends_at + week
    data = {f: getattr(event, f) for f in FIELDS}
    data.update(starts_at=starts_at, ends_at=ends_at, street=event.street)
    with db.atomic():
        copy = Event.create(organization=event.organization, created_by=by, status="draft", **data)
        AuditLog.record(by, "event.copy", copy, detail=f"from {event.id}", street=copy.street)
    return copy

