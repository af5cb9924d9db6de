"""An organization's year (年度工作概览): what it did in one calendar year, on a page its members, its street office
and the district print for the annual report and the grade assessment."""
from flask import Blueprint

bp = Blueprint("year", __name__, cli_group=None)

from blueprints.year import policy, views  # noqa: E402,F401
