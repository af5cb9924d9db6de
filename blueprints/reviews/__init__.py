"""Review (评审): the district admin assigns reviewers to eligible proposals; reviewers declare conflicts (回避)."""
from flask import Blueprint

bp = Blueprint("reviews", __name__, cli_group=None)

from blueprints.reviews import policy, views  # noqa: E402,F401
