"""Reads about funded projects: an organization's projects, a project's events with their check-ins."""
from peewee import fn

from models import Campaign, CheckIn, Event, EventStatus, Proposal, utcnow


def projects():
    """Every published 立项 proposal, with its campaign."""
    return (
        Proposal.select(Proposal, Campaign).join(Campaign)
        .where(Proposal.decision == "funded", Campaign.results_published_at.is_null(False))
    )


def project_or_none(proposal_id):
    """The published 立项 proposal with this id, or None."""
    return projects().where(Proposal.id == proposal_id).first()


def projects_of(organization):
    """The organization's funded projects, the latest contest first."""
    return list(
        projects().where(Proposal.organization == organization)
        .order_by(Campaign.results_published_at.desc(), Proposal.id)
    )


def linkable_events(proposal):
    """Events of the project's organization that may be linked to it: not cancelled, not linked to it yet."""
    return list(
        Event.select().where(
            Event.organization == proposal.organization_id, Event.status != EventStatus.CANCELLED,
            (Event.project.is_null()) | (Event.project != proposal.id),
        ).order_by(Event.starts_at.desc(), Event.id.desc())
    )


def checkin_counts(events):
    """{event id: its number of check-ins}, in one grouped query (an event without any is left out)."""
    ids = [event.id for event in events]
    if not ids:
        return {}
    rows = (CheckIn.select(CheckIn.event, fn.COUNT(CheckIn.id).alias("n"))
            .where(CheckIn.event.in_(ids)).group_by(CheckIn.event).tuples())
    return dict(rows)


def project_events(proposal):
    """What the public sees of the project: its public events, coming ones (soonest first) then past ones (latest
    first), each with its check-in count, and the totals."""
    public = (Event.status.in_(EventStatus.PUBLIC)) & (
        (Event.status != EventStatus.CANCELLED) | Event.published_at.is_null(False)
    )
    events = list(Event.with_places().where(Event.project == proposal.id, public))
    counts = checkin_counts(events)
    for event in events:
        event.checkin_count = counts.get(event.id, 0)
    now = utcnow()
    coming = sorted((e for e in events if e.ends_at > now), key=lambda e: (e.starts_at, e.id))
    past = sorted((e for e in events if e.ends_at <= now), key=lambda e: (e.starts_at, e.id), reverse=True)
    held = [e for e in past if e.status != EventStatus.CANCELLED]
    return {
        "coming": coming, "past": past, "held": len(held),
        "checkins": sum(e.checkin_count for e in events),
    }


def unpublished_events(proposal):
    """Linked events the public does not see yet (drafts, those waiting for the street office): for its admins."""
    return list(
        Event.select().where(
            Event.project == proposal.id, Event.status.not_in(EventStatus.PUBLIC),
        ).order_by(Event.starts_at, Event.id)
    )
