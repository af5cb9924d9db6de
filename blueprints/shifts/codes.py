"""The event's own volunteer code: ``/v/<signed>``, an itsdangerous signature over the event's id.

Its salt is its own ("volunteer-code"), so it is no check-in code, and a resident's check-in token (a random string)
is no volunteer code: each route reads only its own kind. It signs the id and nothing else, so a printed code stays
good for the event's whole life; it grants nothing by itself (the page asks for a login and a membership).
"""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from models import Event

SALT = "volunteer-code"


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def volunteer_code(event):
    """The signed part of the event's volunteer URL."""
    return _serializer().dumps(event.id)


def event_of_code(signed):
    """The event a volunteer code names, or None for a bad signature (or an event since deleted)."""
    try:
        event_id = _serializer().loads(signed or "")
    except BadSignature:
        return None
    if not isinstance(event_id, int) or isinstance(event_id, bool):
        return None
    return Event.get_or_none(Event.id == event_id)
