"""Charts for the street and district consoles (drawn on the server as SVG, each with its table of numbers), and
the numbers of the district console's streets side by side."""
from flask import Blueprint

bp = Blueprint("stats", __name__, cli_group=None)

from blueprints.stats import views  # noqa: E402,F401
