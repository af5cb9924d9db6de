"""Reads: is the event on, a volunteer's open shift, the event's shifts with their hours."""
import datetime
from decimal import Decimal

from flask import current_app

from blueprints.shifts.hours import DEFAULT_ROUNDING, minutes_between, shift_hours
from models import Event, Shift, User
from models.base import utcnow
from models.events import EventStatus

#: Sign-in is open from the event's check-in opening until this many hours after its end (a late tidy-up counts;
#: a shift left open is closed at that moment at the latest).
GRACE_HOURS = 3
#: Hours add up from here: "0.0", never "0".
ZERO = Decimal("0.0")


def window(event):
    """(opens, closes) of sign-in, naive UTC."""
    return event.checkin_opens_at, event.ends_at + datetime.timedelta(hours=GRACE_HOURS)


def is_on(event, now=None):
    opens, closes = window(event)
    return event.status in (EventStatus.PUBLISHED, EventStatus.ENDED) and opens <= (now or utcnow()) < closes


def open_shift(event, user):
    return Shift.get_or_none(Shift.event == event, Shift.volunteer == user, Shift.ended_at.is_null())


def rounding():
    return current_app.config.get("SHIFT_ROUNDING") or DEFAULT_ROUNDING


def hours_of(shift):
    """The hours that count: the correction when there is one, else the rounded time signed in (0 while open)."""
    if shift.corrected_hours is not None:
        return Decimal(str(shift.corrected_hours)).quantize(Decimal("0.1"))  # SQLite gives back 2 for 2.0
    return shift_hours(minutes_between(shift.started_at, shift.ended_at), rounding())


def shifts_of(event):
    """The event's shifts, earliest first, with their volunteers."""
    return list(
        Shift.select(Shift, User).join(User, on=(Shift.volunteer == User.id))
        .where(Shift.event == event).order_by(Shift.started_at, Shift.id)
    )


def event_shift_or_none(shift_id):
    return Shift.select(Shift, Event).join(Event).where(Shift.id == shift_id).first()


def org_shifts(organization, starts, ends):
    """The organization's finished shifts begun in [starts, ends) (naive UTC), with their volunteers and events: one
    query, ordered by volunteer, then event."""
    return list(
        Shift.select(Shift, Event, User)
        .join(Event, on=(Shift.event == Event.id))
        .switch(Shift).join(User, on=(Shift.volunteer == User.id))
        .where(Event.organization == organization, Shift.ended_at.is_null(False),
               Shift.started_at >= starts, Shift.started_at < ends)
        .order_by(User.name, User.id, Event.starts_at, Event.id, Shift.started_at, Shift.id)
    )


def hours_table(shifts):
    """(volunteers, total): each volunteer with their events' hours and their own total, by the counting rule."""
    volunteers = {}
    for shift in shifts:
        hours = hours_of(shift)
        row = volunteers.setdefault(shift.volunteer_id, dict(volunteer=shift.volunteer, events={}, total=ZERO))
        row["events"].setdefault(shift.event_id, dict(event=shift.event, hours=ZERO))["hours"] += hours
        row["total"] += hours
    rows = [dict(row, events=list(row["events"].values())) for row in volunteers.values()]
    return rows, sum((row["total"] for row in rows), start=ZERO)

