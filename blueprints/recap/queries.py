"""The partner month's numbers, by street and by organization, in a fixed handful of grouped queries whatever the
month's size: the confirmed sign-ups, the tagged events (held, to come, reported), their check-ins and the matches
made on the month's needs and offers.

Events and check-ins count where the event takes place (its street), matches under the street of the need or
offer, organizations under their own street; each also counts for its organization (the poster's, for a match). So
both tables add up to the same totals.
"""
from dataclasses import dataclass, field

from peewee import JOIN, Case, fn

from models import CheckIn, Event, MonthEntry, Need, Organization, Response, Street, utcnow

#: The counted columns, in the order of the page and the export.
COLUMNS = ("organizations", "held", "upcoming", "checkins", "reports", "matches")
#: The event statuses that reached the public: published (held once over), ended, reported.
PUBLIC = ("published", "ended", "reported")


@dataclass
class Line:
    """One row of the summary: a street or an organization, and its counts."""

    key: object
    organizations: int = 0
    held: int = 0
    upcoming: int = 0
    checkins: int = 0
    reports: int = 0
    matches: int = 0
    confirmed: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def events(self):
        return self.held + self.upcoming

    def add(self, name, count):
        setattr(self, name, getattr(self, name) + int(count or 0))


@dataclass
class Summary:
    campaign: object
    streets: list
    organizations: list
    total: Line
    at: object


def entry_rows(campaign):
    """(organization id, its street id) of every confirmed sign-up."""
    return (MonthEntry.select(MonthEntry.organization, Organization.street)
            .join(Organization, on=(MonthEntry.organization == Organization.id))
            .where(MonthEntry.campaign == campaign, MonthEntry.status == "confirmed")
            .tuples())


def event_rows(campaign, now):
    """(organization id, street id, held, to come, reported) of the month's public events."""
    over = (Event.status.in_(("ended", "reported"))) | (Event.ends_at <= now)
    held = fn.SUM(Case(None, ((over, 1),), 0))
    reported = fn.SUM(Case(None, ((Event.status == "reported", 1),), 0))
    return (Event.select(Event.organization, Event.street, held, fn.COUNT(Event.id) - held, reported)
            .where(Event.campaign == campaign, Event.status.in_(PUBLIC))
            .group_by(Event.organization, Event.street)
            .tuples())


def checkin_rows(campaign):
    """(organization id, street id, check-ins) at the month's public events, undone check-ins left out."""
    return (CheckIn.select(Event.organization, Event.street, fn.COUNT(CheckIn.id))
            .join(Event, on=(CheckIn.event == Event.id))
            .where(Event.campaign == campaign, Event.status.in_(PUBLIC), CheckIn.undone_at.is_null())
            .group_by(Event.organization, Event.street)
            .tuples())


def match_rows(campaign):
    """(poster's organization id, the need's street id, matches) on the month's needs and offers: responses marked
    as a match (by the need's street, as the campaign page counts them)."""
    return (Response.select(Need.organization, Need.street, fn.COUNT(Response.id))
            .join(Need, on=(Response.need == Need.id))
            .where(Need.campaign == campaign, Response.matched_at.is_null(False))
            .group_by(Need.organization, Need.street)
            .tuples())


def tally(campaign, now):
    """{street id: Line} and {organization id: Line}, filled from the four grouped queries."""
    by_street, by_org = {}, {}

    def count(org_id, street_id, **counts):
        for lines, key in ((by_street, street_id), (by_org, org_id)):
            line = lines.setdefault(key, Line(key))
            for name, value in counts.items():
                line.add(name, value)

    for org_id, street_id in entry_rows(campaign):
        count(org_id, street_id, organizations=1)
        by_org[org_id].confirmed = True
    for org_id, street_id, held, upcoming, reports in event_rows(campaign, now):
        count(org_id, street_id, held=held, upcoming=upcoming, reports=reports)
    for org_id, street_id, checkins in checkin_rows(campaign):
        count(org_id, street_id, checkins=checkins)
    for org_id, street_id, matches in match_rows(campaign):
        count(org_id, street_id, matches=matches)
    return by_street, by_org


def summary(campaign, now=None):
    """Every street of the campaign's district (none left out, in their order) and every organization with a
    confirmed sign-up or anything counted (by street, then name), with the totals."""
    now = now or utcnow()
    by_street, by_org = tally(campaign, now)
    streets = []
    for street in Street.select().where(Street.district == campaign.district_id).order_by(Street.code):
        line = by_street.get(street.id, Line(street.id))
        line.key = street
        streets.append(line)
    organizations = []
    if by_org:
        query = (Organization.select(Organization, Street)
                 .join(Street, JOIN.LEFT_OUTER, on=(Organization.street == Street.id))
                 .where(Organization.id.in_(list(by_org))))
        for organization in query:
            line = by_org[organization.id]
            line.key = organization
            organizations.append(line)
    organizations.sort(key=lambda line: (line.key.street.code, line.key.name))
    total = Line(None)
    for line in streets:
        for name in COLUMNS:
            total.add(name, getattr(line, name))
    return Summary(campaign, streets, organizations, total, now)


def progress(campaign, now=None):
    """Where the month stands: "upcoming" (not started), "running" (so far) or "over"."""
    now = now or utcnow()
    if campaign.starts_at is not None and now < campaign.starts_at:
        return "upcoming"
    if campaign.ends_at is None or now < campaign.ends_at:
        return "running"
    return "over"
