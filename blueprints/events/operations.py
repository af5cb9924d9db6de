"""The event lifecycle: draft → submitted → published or returned → ended → reported; cancelled before the end.

Every operation asks the events policy whether its actor may act now (policy.py), and writes the audit log.
"""
import datetime

from flask_babel import gettext as _

from blueprints.events.policy import LIFECYCLE
from blueprints.month.operations import check_tag
from blueprints.month.queries import within
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, Event, EventStatus, db, utcnow

#: Changes residents would notice: a published event that changes them goes back to the street office.
NOTICEABLE = ("starts_at", "ends_at", "venue", "street")
FIELDS = ("title", "description", "category", "starts_at", "ends_at", "venue", "street", "capacity",
          "signup_enabled", "checkin_lead_minutes", "checkin_mode", "project", "campaign")


def check_times(data, now=None):
    errors = {}
    if data["ends_at"] <= data["starts_at"]:
        errors["end_time"] = _("结束时间要晚于开始时间")
    if data["starts_at"] <= (now or utcnow()):
        errors["start_time"] = _("开始时间已经过去了，请选择以后的时间")
    if errors:
        raise ValidationError(errors)


def check_project(organization, data):
    """所属项目: none, or one of the organization's own funded projects."""
    project = data.get("project")
    if project is not None and (project.organization_id != organization.id or not project.is_project):
        raise ValidationError({"project": _("请从本组织的公益创投项目中选择")})


def check_month(organization, data, event=None):
    """公益伙伴月: none, or a month the organization is confirmed for that the event falls within (a tag made earlier
    stays as long as the times do not change)."""
    campaign = data.get("campaign")
    unchanged = event is not None and campaign is not None and campaign.id == event.campaign_id and (
        data["starts_at"], data["ends_at"]) == (event.starts_at, event.ends_at)
    if campaign is not None and not unchanged:
        check_tag(organization, campaign, data["starts_at"], data["ends_at"])


def create_draft(organization, by, data):
    """A member drafts an event for their organization."""
    require(by, "draft_event", organization)
    check_times(data)
    check_project(organization, data)
    check_month(organization, data)
    with db.atomic():
        event = Event.create(
            organization=organization, created_by=by, status=EventStatus.DRAFT, **{f: data[f] for f in FIELDS}
        )
        AuditLog.record(by, "event.draft", event, street=event.street)
    return event


def update_event(event, by, data):
    """Edit an event. A published event whose time or place changes goes back to the street office's queue."""
    require(by, "edit", event)
    check_times(data)
    check_project(event.organization, data)
    check_month(event.organization, data, event)
    noticeable = event.status == EventStatus.PUBLISHED and any(getattr(event, f) != data[f] for f in NOTICEABLE)
    with db.atomic():
        for name in FIELDS:
            setattr(event, name, data[name])
        event.updated_at = utcnow()
        if noticeable:
            event.status = EventStatus.SUBMITTED
        event.save()
        AuditLog.record(by, "event.resubmit" if noticeable else "event.edit", event, street=event.street)
    return noticeable


def _apply(event, by, action, reason=None, **changes):
    """``action`` applied with its audit log (the caller has asked the policy)."""
    return LIFECYCLE.apply(
        event, action, by, detail=(reason or "").strip(), street=event.street, updated_at=utcnow(), **changes
    )


def _reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明理由")})
    return reason.strip()


def submit(event, by):
    """The org admin sends the event to the street office of its venue."""
    require(by, "submit", event)
    if event.starts_at <= utcnow():
        raise ValidationError({"start_time": _("开始时间已经过去了，请先修改时间")})
    return _apply(event, by, "submit")


def publish(event, by):
    """The venue's street office publishes a submitted event."""
    require(by, "publish", event)
    return _apply(event, by, "publish", published_at=utcnow(), published_by=by, return_reason=None)


def return_event(event, by, reason):
    """The venue's street office returns a submitted event, saying why."""
    require(by, "return", event)
    reason = _reason(reason)
    return _apply(event, by, "return", reason, return_reason=reason)


def cancel(event, by, reason):
    """The org admin cancels before the end; residents see the reason."""
    require(by, "cancel", event)
    reason = _reason(reason)
    return _apply(event, by, "cancel", reason, cancel_reason=reason)


def end_event(event, by=None):
    """A published event whose end has passed is ended (done by time, so ``by`` is usually nobody)."""
    require(by, "end", event)
    return _apply(event, by, "end")


def mark_reported(event, by):
    """The org admin has filed the event's report."""
    require(by, "report", event)
    return _apply(event, by, "report")


def end_past_events(now=None):
    """Record every published event whose end has passed as ended; returns how many."""
    count = 0
    for event in Event.select().where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= (now or utcnow())):
        end_event(event)
        count += 1
    return count


def copy_event(event, by):
    """A new draft with the same content, a week on: the same weekday and time, in the first week that lies ahead."""
    require(by, "copy", event)
    week = datetime.timedelta(days=7)
    weeks = max((utcnow() - event.starts_at) // week + 1, 1)  # the first week on whose day it starts ahead of now
    try:
        starts_at, ends_at = event.starts_at + weeks * week, event.ends_at + weeks * week
    except OverflowError:  # an event dated in year 9999 has no week after it
        raise ValidationError({"date": _("这个活动的日期无法顺延，请新建活动")}) from None
    data = {f: getattr(event, f) for f in FIELDS}
    data.update(starts_at=starts_at, ends_at=ends_at, street=event.street)
    if event.campaign_id and not within(event.campaign, starts_at, ends_at):
        data["campaign"] = None  # a week on falls after the month: the copy is not part of it
    with db.atomic():
        copy = Event.create(organization=event.organization, created_by=by, status=EventStatus.DRAFT, **data)
        AuditLog.record(by, "event.copy", copy, detail=f"from {event.id}", street=copy.street)
    return copy
