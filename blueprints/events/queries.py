"""Reads of events for lists and consoles."""
from models import Event, EventStatus, Signup


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
