from flask import Blueprint

bp = Blueprint("events", __name__)

from blueprints.events import views, org_views, street_views  # noqa: E402,F401
