"""Reads for reports: attendance from the check-ins, volunteers' hours from the sign-ins, the street's queue, and
the deadlines: a report is due REPORT_DUE_DAYS after its event's end, and overdue (报告逾期) after that."""
import datetime
from dataclasses import dataclass

from flask import current_app
from peewee import JOIN, SQL, fn

from blueprints.shifts.queries import hours_of, shifts_of
from core.timeutil import to_local
from models import CheckIn, Event, EventStatus, Membership, Organization, Report, ReportPhoto, Street, utcnow

#: A report in one of these has been handed in: its event is not overdue.
SETTLED = ("submitted", "accepted")
#: The street console lists this many overdue events (the oldest first) and counts the rest.
STREET_OVERDUE_SHOWN = 20


def attendance(event):
    """Check-ins by method: {"qr": n, "manual": n, "total": n}; a check-in a volunteer undid does not count."""
    rows = (CheckIn.select(CheckIn.method, fn.COUNT(CheckIn.id).alias("n"))
            .where(CheckIn.event == event, CheckIn.undone_at.is_null()).group_by(CheckIn.method).tuples())
    counts = {"qr": 0, "manual": 0}
    for method, n in rows:
        counts[method if method in counts else "qr"] += n
    counts["total"] = counts["qr"] + counts["manual"]
    return counts


def volunteer_hours(event):
    """[(name, hours)] of the event's finished sign-ins: their corrections, else the deployment's rounding rule."""
    return [(shift.volunteer.name, hours_of(shift)) for shift in shifts_of(event) if shift.ended_at is not None]


def photos(report):
    return list(ReportPhoto.select().where(ReportPhoto.report == report).order_by(ReportPhoto.id))


def street_queue(street):
    """Submitted reports on events held in ``street``, with the organization and street their rows name."""
    return (Report.select(Report, Event, Organization, Street).join(Event)
            .join(Organization, on=(Event.organization == Organization.id))
            .switch(Event).join(Street, on=(Event.street == Street.id))
            .where(Event.street == street, Report.status == "submitted").order_by(Report.submitted_at, Report.id))


def due_days():
    return int(current_app.config.get("REPORT_DUE_DAYS", 7))


def due_at(event):
    """When the event's report is due (naive UTC)."""
    return event.ends_at + datetime.timedelta(days=due_days())


def days_overdue(event, now=None):
    """Whole days past the due time, at least 1 once it has passed; 0 before."""
    late = (now or utcnow()) - due_at(event)
    return max(late.days, 1) if late > datetime.timedelta(0) else 0


@dataclass
class Deadline:
    #: The (Shanghai) day by which the report is due.
    day: datetime.date
    #: Days overdue; 0 while there is time.
    overdue: int


def deadline(event, report=None):
    """The deadline of the event's report while one is expected (the event ended, the report not handed in), else
    None. ``report`` saves a query when the caller has it."""
    if event.current_status != EventStatus.ENDED:
        return None
    if report is None:
        report = Report.get_or_none(Report.event == event)
    if report is not None and report.status in SETTLED:
        return None
    return Deadline(day=to_local(due_at(event)).date(), overdue=days_overdue(event))


def overdue(now=None):
    """Ended events (not cancelled) whose report was not handed in by its due time, the oldest first, with their
    organizations."""
    cutoff = (now or utcnow()) - datetime.timedelta(days=due_days())
    ended = Event.status.in_((EventStatus.ENDED, EventStatus.PUBLISHED))  # published and past: ended
    return (
        Event.select(Event, Organization)
        .join(Organization, on=(Event.organization == Organization.id))
        .switch(Event).join(Report, JOIN.LEFT_OUTER, on=(Report.event == Event.id))
        .where(ended, Event.ends_at < cutoff, Report.id.is_null() | Report.status.not_in(SETTLED))
        .order_by(Event.ends_at, Event.id)
    )


def admin_orgs(user):
    return Membership.select(Membership.organization).where(Membership.user == user.id, Membership.role == "admin")


def overdue_for(user):
    """[(event, days overdue)] of the organizations ``user`` administers."""
    return [(event, days_overdue(event)) for event in overdue().where(Event.organization.in_(admin_orgs(user)))]


def overdue_in(street):
    """(shown, total): the street's overdue events as [(event, days overdue)], the oldest first, capped."""
    # The total rides along as a window count: one query however many there are.
    events = list(overdue().where(Event.street == street)
                  .select_extend(fn.COUNT(SQL("*")).over().alias("overdue_total")).limit(STREET_OVERDUE_SHOWN))
    return [(event, days_overdue(event)) for event in events], (events[0].overdue_total if events else 0)


def returned_for(user):
    """Reports of ``user``'s organizations that the street returned, with the street's comment."""
    return list(
        Report.select(Report, Event, Organization).join(Event)
        .join(Organization, on=(Event.organization == Organization.id))
        .where(Report.status == "returned", Event.organization.in_(admin_orgs(user)))
        .order_by(Report.decided_at, Report.id)
    )
