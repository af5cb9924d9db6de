"""Volunteers' service time: members sign in and out of an event (on its manage page or by its volunteer code); the
org admin corrects hours and exports them, by event or for the organization over a date range."""
from flask import Blueprint

bp = Blueprint("shifts", __name__, cli_group=None)

from blueprints.shifts import code_views, org_views, policy, views  # noqa: E402,F401
