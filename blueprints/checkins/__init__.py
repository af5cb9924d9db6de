"""Check-in: QR codes, the resident's page, the volunteers' roster and exports, the purge."""
from flask import Blueprint

bp = Blueprint("checkins", __name__, cli_group=None)

from blueprints.checkins import views, volunteer_views, qr_views, cli  # noqa: E402,F401
