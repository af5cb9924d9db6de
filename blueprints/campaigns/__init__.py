"""Campaigns: the 公益创投 venture contest (and, next, the 公益伙伴月 partner month), set up by the district admin."""
from flask import Blueprint

bp = Blueprint("campaigns", __name__, cli_group=None)

from blueprints.campaigns import policy, views  # noqa: E402,F401
