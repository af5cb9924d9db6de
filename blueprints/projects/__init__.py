"""Funded projects (公益创投项目): a published 立项 proposal has a public page, and its organization links its events
to it, so the page shows what the project has done so far."""
from flask import Blueprint

bp = Blueprint("projects", __name__, cli_group=None)

from blueprints.projects import policy, views  # noqa: E402,F401
