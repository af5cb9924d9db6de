from flask import Blueprint

bp = Blueprint("streets", __name__, url_prefix="/streets")

from blueprints.streets import views  # noqa: E402,F401
