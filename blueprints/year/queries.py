"""An organization's numbers for one calendar year (Asia/Shanghai), in a fixed handful of queries whatever its size.

An event belongs to the year it starts in; it counts once it has been held: ended or reported, or published with
its end passed (never a cancelled, draft or returned one). Check-ins undone by a volunteer do not count; residents
are told apart by phone (a check-in whose phone the purge has erased still counts as a check-in, not as a
resident). Service hours are the shifts feature's (corrections and the configured rounding rule). A proposal counts
in the year it was submitted, a partner month in the year it runs, a funded project in the year its contest's
results were published.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from peewee import fn

from blueprints.shifts.queries import hours_of
from core.timeutil import local_now, to_local, to_utc
from models import Campaign, CheckIn, Event, EventStatus, MonthEntry, Proposal, Report, Shift, utcnow

#: The years a page may ask for: beyond them there is nothing to show (and no midnight to compute).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: What an event's report line says: its report's status, or 逾期 / 待提交 when none was submitted.
SUBMITTED = ("submitted", "accepted")


def current_year():
    return local_now().year


def bounds(year):
    """(first midnight of ``year``, first midnight of the next), naive UTC."""
    return to_utc(datetime.datetime(year, 1, 1)), to_utc(datetime.datetime(year + 1, 1, 1))


def held(now):
    """Events that took place: ended or reported, or published and over."""
    return (Event.status.in_((EventStatus.ENDED, EventStatus.REPORTED))) | (
        (Event.status == EventStatus.PUBLISHED) & (Event.ends_at <= now))


def held_in(organization, year, now):
    start, end = bounds(year)
    return (Event.organization == organization) & (Event.starts_at >= start) & (Event.starts_at < end) & held(now)


@dataclass
class Line:
    """One held event with its counts."""

    event: Event
    qr: int = 0
    manual: int = 0
    volunteers: set = field(default_factory=set)
    hours: Decimal = Decimal("0.0")
    report: str = ""  # draft, submitted, returned, accepted, overdue or due
    due: datetime.datetime = None

    @property
    def checkins(self):
        return self.qr + self.manual


@dataclass
class Summary:
    organization: object
    year: int
    events: list
    months: list
    qr: int
    manual: int
    residents: int
    volunteers: int
    shifts: int
    hours: Decimal
    reports: dict
    proposals: list
    entries: list
    projects: list
    granted: int
    at: datetime.datetime

    @property
    def checkins(self):
        return self.qr + self.manual


def event_lines(organization, year, now):
    """The year's held events, in order, as Lines with their check-ins, volunteers, hours and report state."""
    where = held_in(organization, year, now)
    lines = {event.id: Line(event) for event in Event.select().where(where).order_by(Event.starts_at, Event.id)}
    if not lines:
        return []
    checkins = (CheckIn.select(CheckIn.event, CheckIn.method, fn.COUNT(CheckIn.id))
                .join(Event, on=(CheckIn.event == Event.id))
                .where(where, CheckIn.undone_at.is_null())
                .group_by(CheckIn.event, CheckIn.method).tuples())
    for event_id, method, count in checkins:
        line = lines[event_id]
        if method == "manual":
            line.manual += count
        else:
            line.qr += count
    shifts = Shift.select(Shift).join(Event, on=(Shift.event == Event.id)).where(where)
    for shift in shifts:
        line = lines[shift.event_id]
        line.volunteers.add(shift.volunteer_id)
        line.hours += hours_of(shift)
    reports = dict(Report.select(Report.event, Report.status).join(Event, on=(Report.event == Event.id))
                   .where(where).tuples())
    due_days = datetime.timedelta(days=current_app.config.get("REPORT_DUE_DAYS", 7))
    for line in lines.values():
        line.due = line.event.ends_at + due_days
        status = reports.get(line.event.id)
        if status in SUBMITTED or line.event.status == EventStatus.REPORTED:
            line.report = status or "accepted"
        elif line.due < now:
            line.report = "overdue"
        else:
            line.report = status or "due"
    return list(lines.values())


def residents(organization, year, now):
    """Distinct phones among the year's check-ins."""
    return (CheckIn.select(fn.COUNT(fn.DISTINCT(CheckIn.phone)))
            .join(Event, on=(CheckIn.event == Event.id))
            .where(held_in(organization, year, now), CheckIn.undone_at.is_null(), CheckIn.phone.is_null(False))
            .scalar() or 0)


def proposals(organization, year):
    """The contest proposals it submitted in the year (not withdrawn), with their contests."""
    start, end = bounds(year)
    return list(Proposal.select(Proposal, Campaign).join(Campaign, on=(Proposal.campaign == Campaign.id))
                .where(Proposal.organization == organization, Proposal.submitted_at >= start,
                       Proposal.submitted_at < end, Proposal.status.not_in(("draft", "withdrawn")))
                .order_by(Proposal.submitted_at, Proposal.id))


def month_start():
    """When a partner month runs: its first day, or its sign-up's opening when it has no dates."""
    return fn.COALESCE(Campaign.starts_at, Campaign.application_opens_at).python_value(Campaign.starts_at.python_value)


def entries(organization, year):
    """Its sign-ups (not withdrawn) to the partner months of the year, with their campaigns."""
    start, end = bounds(year)
    return list(MonthEntry.select(MonthEntry, Campaign).join(Campaign, on=(MonthEntry.campaign == Campaign.id))
                .where(MonthEntry.organization == organization, MonthEntry.status != "withdrawn",
                       month_start() >= start, month_start() < end)
                .order_by(month_start(), MonthEntry.id))


def projects(organization, year):
    """Its funded proposals (立项) whose contest published its results in the year."""
    start, end = bounds(year)
    return list(Proposal.select(Proposal, Campaign).join(Campaign, on=(Proposal.campaign == Campaign.id))
                .where(Proposal.organization == organization, Proposal.decision == "funded",
                       Campaign.results_published_at >= start, Campaign.results_published_at < end)
                .order_by(Campaign.results_published_at, Proposal.id))


def summary(organization, year, now=None):
    now = now or utcnow()
    lines = event_lines(organization, year, now)
    months = [0] * 12
    for line in lines:
        months[to_local(line.event.starts_at).month - 1] += 1
    volunteers = set().union(*(line.volunteers for line in lines)) if lines else set()
    reports = {"accepted": 0, "submitted": 0, "overdue": 0}
    for line in lines:
        if line.report in reports:
            reports[line.report] += 1
    funded = projects(organization, year)
    month_entries = entries(organization, year)
    tagged = {}
    for line in lines:
        if line.event.campaign_id is not None:
            tagged[line.event.campaign_id] = tagged.get(line.event.campaign_id, 0) + 1
    for entry in month_entries:
        entry.held_events = tagged.get(entry.campaign_id, 0)
    return Summary(
        organization=organization, year=year, events=lines, months=months,
        qr=sum(line.qr for line in lines), manual=sum(line.manual for line in lines),
        residents=residents(organization, year, now), volunteers=len(volunteers),
        shifts=sum(len(line.volunteers) for line in lines),
        hours=sum((line.hours for line in lines), Decimal("0.0")), reports=reports,
        proposals=proposals(organization, year), entries=month_entries, projects=funded,
        granted=sum(project.amount_granted or 0 for project in funded), at=now,
    )


def years_with_data(organization, now=None):
    """The years (newest first) in which the organization held an event, submitted a proposal, entered a partner
    month or had a project funded; this year always among them."""
    now = now or utcnow()
    moments = [row[0] for row in Event.select(Event.starts_at).distinct()
                .where(Event.organization == organization, held(now)).tuples()]
    moments += [row[0] for row in Proposal.select(Proposal.submitted_at)
                .where(Proposal.organization == organization, Proposal.submitted_at.is_null(False),
                       Proposal.status.not_in(("draft", "withdrawn"))).tuples()]
    moments += [row[0] for row in MonthEntry.select(month_start())
                .join(Campaign, on=(MonthEntry.campaign == Campaign.id))
                .where(MonthEntry.organization == organization, MonthEntry.status != "withdrawn").tuples()]
    moments += [row[0] for row in Proposal.select(Campaign.results_published_at)
                .join(Campaign, on=(Proposal.campaign == Campaign.id))
                .where(Proposal.organization == organization, Proposal.decision == "funded",
                       Campaign.results_published_at.is_null(False)).tuples()]
    years = {to_local(moment).year for moment in moments if isinstance(moment, datetime.datetime)}
    years.add(current_year())
    return sorted((y for y in years if FIRST_YEAR <= y <= LAST_YEAR), reverse=True)
