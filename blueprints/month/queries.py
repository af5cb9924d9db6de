"""Reads for the partner month: who may tag, the month's events by day, and the totals by street (a few grouped
queries, whatever the number of events)."""
import datetime

from peewee import Case, fn

from blueprints.entries.queries import is_confirmed
from blueprints.partners import queries as partner_queries
from core.timeutil import to_local
from models import Campaign, CheckIn, Event, EventStatus, MonthEntry, Organization, Street, utcnow

#: The statuses of an event that was published: what the month's calendar and totals count.
WAS_PUBLISHED = (EventStatus.PUBLISHED, EventStatus.ENDED, EventStatus.REPORTED)


def within(campaign, starts_at, ends_at):
    """True when an event from ``starts_at`` to ``ends_at`` (naive UTC) falls within the month's dates."""
    return (campaign.starts_at is not None and campaign.ends_at is not None
            and campaign.starts_at <= starts_at and ends_at <= campaign.ends_at)


def open_months(organization, now=None):
    """Published months of the organization's district that have not ended and it is confirmed for, soonest first."""
    confirmed = MonthEntry.select(MonthEntry.campaign).where(
        MonthEntry.organization == organization, MonthEntry.status == "confirmed"
    )
    return [
        campaign for campaign in Campaign.select().where(
            Campaign.kind == "month", Campaign.published == True,  # noqa: E712
            Campaign.ends_at > (now or utcnow()), Campaign.id.in_(confirmed),
        ).order_by(Campaign.starts_at, Campaign.id)
        if is_confirmed(organization, campaign)
    ]


def taggable_months(event):
    """The months ``event`` may be tagged to: its organization is confirmed and the event falls within them."""
    return [c for c in open_months(event.organization) if within(c, event.starts_at, event.ends_at)]


def month_events(campaign, street="", kind=""):
    """The month's published events (ended ones too) with their places, by start; ``street`` slug, ``kind``."""
    events = Event.with_places().where(Event.campaign == campaign, Event.status.in_(WAS_PUBLISHED))
    if street:
        events = events.where(Street.slug == street)
    if kind:
        events = events.where(Event.category == kind)
    return list(events.order_by(Event.starts_at, Event.id))


def days_of(campaign):
    """Every day of the month (Shanghai dates), first to last."""
    first = to_local(campaign.starts_at).date()
    last = (to_local(campaign.ends_at) - datetime.timedelta(seconds=1)).date()
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def by_day(events):
    """{Shanghai date: [events that start on it]}."""
    days = {}
    for event in events:
        days.setdefault(to_local(event.starts_at).date(), []).append(event)
    return days


def phone_days(days, today):
    """The days with events as a phone lists them: today first, then the days to come, then the days past (latest
    first), so that what is on now is at the top."""
    coming = sorted(d for d in days if d >= today)
    past = sorted((d for d in days if d < today), reverse=True)
    return [(day, days[day]) for day in coming + past]


def weeks(campaign):
    """The month as weeks of seven days (Monday first); None for the days before the first and after the last."""
    days = days_of(campaign)
    cells = [None] * days[0].weekday() + days
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def totals(campaign, now=None):
    """Per street of the campaign's district and in all: organizations taking part (confirmed sign-ups), events
    held and to come, check-ins so far, matches made (资源对接, by the street of the need). A few grouped queries."""
    now = now or utcnow()
    streets = list(Street.select().where(Street.district == campaign.district_id).order_by(Street.code))
    organizations = dict(
        MonthEntry.select(Organization.street, fn.COUNT(MonthEntry.id))
        .join(Organization, on=(MonthEntry.organization == Organization.id))
        .where(MonthEntry.campaign == campaign, MonthEntry.status == "confirmed")
        .group_by(Organization.street).tuples()
    )
    held_expr = fn.SUM(Case(None, [(Event.ends_at <= now, 1)], 0))
    events = {
        street: (int(held or 0), int(count) - int(held or 0))
        for street, count, held in Event.select(Event.street, fn.COUNT(Event.id), held_expr)
        .where(Event.campaign == campaign, Event.status.in_(WAS_PUBLISHED))
        .group_by(Event.street).tuples()
    }
    checkins = dict(
        CheckIn.select(Event.street, fn.COUNT(CheckIn.id))
        .join(Event, on=(CheckIn.event == Event.id))
        .where(Event.campaign == campaign, Event.status.in_(WAS_PUBLISHED), CheckIn.undone_at.is_null())
        .group_by(Event.street).tuples()
    )
    matches = partner_queries.matches_by_street(campaign)
    rows = [
        {"street": s, "organizations": organizations.get(s.id, 0), "held": events.get(s.id, (0, 0))[0],
         "coming": events.get(s.id, (0, 0))[1], "checkins": checkins.get(s.id, 0), "matches": matches.get(s.id, 0)}
        for s in streets
    ]
    total = {key: sum(r[key] for r in rows) for key in ("organizations", "held", "coming", "checkins")}
    total["matches"] = partner_queries.matches_made(campaign)
    return {"rows": rows, "total": total}
