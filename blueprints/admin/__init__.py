"""The district console: every street side by side, staff accounts; the first admin and other districts."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)

from blueprints.admin import cli, policy, views  # noqa: E402,F401
