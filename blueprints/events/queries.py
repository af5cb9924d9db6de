"""Reads of events for lists and consoles."""
from models import Event, EventStatus


def moderation_queue(street):
    """Events submitted to ``street``'s office, soonest first, with their organization and street."""
    return (
        Event.with_places()
        .where(Event.street == street, Event.status == EventStatus.SUBMITTED)
        .order_by(Event.starts_at, Event.id)
    )
