"""Reads of events for lists and consoles."""
import datetime
import re

from peewee import JOIN, SQL, Case, Tuple, fn

from core.timeutil import to_local, to_utc
from models import CheckIn, Event, EventStatus, Membership, Organization, Signup, utcnow


def moderation_queue(street):
    """Events submitted to ``street``'s office, soonest first, with their organization and street."""
    return (
        Event.with_places()
        .where(Event.street == street, Event.status == EventStatus.SUBMITTED)
        .order_by(Event.starts_at, Event.id)
    )


def signups_for_tokens(tokens):
    """The sign-ups with these tokens (a device's own, from its session), with their events, soonest first."""
    tokens = [t for t in tokens if isinstance(t, str) and t][:200]
    if not tokens:
        return []
    return list(
        Signup.select(Signup, Event)
        .join(Event)
        .where(Signup.token.in_(tokens))
        .order_by(Event.starts_at, Signup.id)
    )


#: How many of a street's events its console lists at once.
STREET_EVENTS_SHOWN = 20
#: The statuses of an event that was published: what a street's console lists and finds.
WAS_PUBLISHED = (EventStatus.PUBLISHED, EventStatus.ENDED, EventStatus.REPORTED)


def street_events(street, title="", now=None):
    """The street's published events with their counted check-ins (``attendance``), one query.

    Without ``title``: today's (those already over included) and the upcoming ones, soonest first. With it: every
    published event of the street whose title contains it, the latest first, so that any of them is found again.
    """
    attendance = fn.COUNT(CheckIn.id).alias("attendance")
    query = (
        Event.select(Event, Organization, attendance)
        .join(Organization, on=(Event.organization == Organization.id))
        .switch(Event)
        .join(CheckIn, JOIN.LEFT_OUTER, on=((CheckIn.event == Event.id) & CheckIn.undone_at.is_null()))
        .where(Event.street == street, Event.status.in_(WAS_PUBLISHED))
        .group_by(Event.id, Organization.id)
    )
    if title:
        return query.where(Event.title.contains(title[:100])).order_by(Event.starts_at.desc(), Event.id.desc())
    local = to_local(now or utcnow())
    today = to_utc(datetime.datetime.combine(local.date(), datetime.time()))
    return query.where(Event.ends_at >= today).order_by(Event.starts_at, Event.id)


def street_events_page(street, title="", after=None, now=None):
    """A page of street_events: (up to STREET_EVENTS_SHOWN events, the cursor of the page after them or None).

    ``after`` is the (starts_at, id) of the last event of the page before (parse_events_cursor), None for the first.
    Keyset paging on the list's own order, so that every page is one query that starts where the last one ended,
    however far the clerk has gone; one row more than shown tells whether another page follows.
    """
    query = street_events(street, title, now)
    if after:
        key, last = Tuple(Event.starts_at, Event.id), Tuple(*after)
        query = query.where(key < last if title else key > last)
    rows = list(query.limit(STREET_EVENTS_SHOWN + 1))
    shown = rows[:STREET_EVENTS_SHOWN]
    return shown, (events_cursor(shown[-1]) if len(rows) > STREET_EVENTS_SHOWN else None)


def events_cursor(event):
    """The ``events_after`` of the page that follows ``event``: its start and id, which order the list."""
    return f"{event.starts_at.isoformat()}_{event.id}"


#: An events_cursor: an ISO date and time (naive UTC, as stored), "_", the event's id.
EVENTS_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)_(\d{1,18})", re.ASCII)


def parse_events_cursor(text):
    """(starts_at, id) of an ``events_after``; None for anything else, which then means the first page."""
    match = EVENTS_CURSOR.fullmatch(text or "")
    if match is None:
        return None
    try:
        return datetime.datetime.fromisoformat(match[1]), int(match[2])
    except ValueError:  # a date that does not exist, such as 2026-02-30
        return None


#: How many of a member's coming events the home page lists.
MEMBER_EVENTS_SHOWN = 5


def member_events(user, now=None):
    """Published events of the organizations ``user`` belongs to that have not ended: today's first, then the next."""
    orgs = Membership.select(Membership.organization).where(Membership.user == user.id)
    return (
        Event.with_places()
        .where(Event.organization.in_(orgs), Event.status == EventStatus.PUBLISHED, Event.ends_at > (now or utcnow()))
        .order_by(Event.starts_at, Event.id)
        .limit(MEMBER_EVENTS_SHOWN)
    )


#: How many of an organization's events of one status its page lists at once; 加载更多 brings the next ones.
ORG_EVENTS_SHOWN = 20


def is_current_status(status, now):
    """The condition that an event's status as residents see it (Event.current_status) is ``status``."""
    if status == EventStatus.PUBLISHED:
        return (Event.status == EventStatus.PUBLISHED) & (Event.ends_at > now)
    if status == EventStatus.ENDED:
        return (Event.status == EventStatus.ENDED) | ((Event.status == EventStatus.PUBLISHED) & (Event.ends_at <= now))
    return Event.status == status


def org_events_by_status(organization, statuses, shown=ORG_EVENTS_SHOWN, offset=0):
    """{status: (count, the newest ``shown`` events after ``offset``)} of an organization's events, all time, for
    the statuses it has events of.

    One query to count them and one per status asked (an empty one too, so that the number of queries does not
    depend on the data): the page stays the same size however many events the organization held (index event
    (organization, starts_at), migration 0021).
    """
    now = utcnow()
    counts = {}
    for status in statuses:
        counts[status] = 0
    current = Case(None, [(is_current_status(EventStatus.ENDED, now), EventStatus.ENDED)], Event.status)
    query = (
        Event.select(current, fn.COUNT(Event.id))
        .where(Event.organization == organization)
        .group_by(SQL("1"))  # by position: PostgreSQL does not see that two copies of a parameter are the same
        .tuples()
    )
    for status, count in query:
        if status in counts:
            counts[status] = count
    found = {
        status: (counts[status], [
            *Event.select()
            .where(Event.organization == organization, is_current_status(status, now))
            .order_by(Event.starts_at.desc(), Event.id.desc())
            .offset(offset)
            .limit(shown)
        ])
        for status in statuses
    }
    return {status: found[status] for status in statuses if found[status][0]}
