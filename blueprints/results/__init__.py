"""Results (评审结果) of the 公益创投 contest: the ranking, the staged 立项 decisions within the budget, publishing,
the public results page with 公示 and objections (异议), and the Excel export."""
from flask import Blueprint

bp = Blueprint("results", __name__, cli_group=None)

from blueprints.results import policy, views  # noqa: E402,F401
