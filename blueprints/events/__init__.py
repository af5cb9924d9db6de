"""Events: the lifecycle, the residents' pages, the organization's and the street office's sides, sign-ups."""
from flask import Blueprint

bp = Blueprint("events", __name__, cli_group=None)

from blueprints.events import cli, org_views, policy, street_views, views  # noqa: E402,F401
