"""资源对接: in the partner month an organization posts a need or an offer, its street publishes it, other
organizations and partner accounts (companies, foundations) respond, and the poster marks a match."""
from flask import Blueprint

bp = Blueprint("partners", __name__, cli_group=None)

from blueprints.partners import policy, street_views, views  # noqa: E402,F401
