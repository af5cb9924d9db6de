"""Events: the lifecycle, the residents' pages, the organization's and the street office's sides, sign-ups."""
from flask import Blueprint

bp = Blueprint("events", __name__, cli_group=None)

from blueprints.events import views, org_views, street_views, cli  # noqa: E402,F401
