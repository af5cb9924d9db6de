"""Review (评审): the district admin assigns reviewers to eligible proposals and follows the scoring; reviewers declare
conflicts (回避) and score their proposals."""
from flask import Blueprint

bp = Blueprint("reviews", __name__, cli_group=None)

from blueprints.reviews import policy, reviewer_views, views  # noqa: E402,F401
