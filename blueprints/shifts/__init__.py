"""Volunteers' service time: members sign in and out of an event; the org admin corrects hours and exports them."""
from flask import Blueprint

bp = Blueprint("shifts", __name__, cli_group=None)

from blueprints.shifts import policy, views  # noqa: E402,F401
