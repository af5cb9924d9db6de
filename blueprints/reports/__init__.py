"""Reports (活动报告): after an event ends its organization reports with photos; the street reviews it."""
from flask import Blueprint

bp = Blueprint("reports", __name__, cli_group=None)

from blueprints.reports import policy, street_views, views  # noqa: E402,F401
