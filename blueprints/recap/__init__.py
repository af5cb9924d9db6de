"""After the partner month (公益伙伴月), and during it so far: the district's summary by street and by organization
(organizations taking part, events held and to come, check-ins, reports filed, matches made), printable on A4 and
exported to Excel."""
from flask import Blueprint

bp = Blueprint("recap", __name__, cli_group=None)

from blueprints.recap import policy, views  # noqa: E402,F401
