"""Check-in: QR codes, the resident's page, the volunteers' roster and exports, the purge."""
from flask import Blueprint

bp = Blueprint("checkins", __name__, cli_group=None)

from blueprints.checkins import cli, policy, qr_views, views, volunteer_views  # noqa: E402,F401
