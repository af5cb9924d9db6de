from flask import Blueprint

bp = Blueprint("checkins", __name__)

from blueprints.checkins import views, volunteer_views, qr_views  # noqa: E402,F401
