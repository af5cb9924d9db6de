"""Organizations: registration, their pages, volunteer invitations, and the street office's decision on them."""
from flask import Blueprint

bp = Blueprint("orgs", __name__)

from blueprints.orgs import policy, profile_views, street_views, views  # noqa: E402,F401
