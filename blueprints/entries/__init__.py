"""Sign-ups (报名) for the partner month: an admitted organization's admin signs it up from a phone; the moderator
of its street confirms it, or returns it saying what to change, in the street console's queue."""
from flask import Blueprint

bp = Blueprint("entries", __name__, cli_group=None)

from blueprints.entries import policy, street_views, views  # noqa: E402,F401
