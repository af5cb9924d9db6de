"""Proposals (申报书): an admitted organization's admin drafts one for a contest, section by section, from a phone."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, cli_group=None)

from blueprints.proposals import district_views, policy, street_views, views  # noqa: E402,F401
