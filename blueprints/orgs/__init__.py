from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/orgs")

from blueprints.orgs import views  # noqa: E402,F401
