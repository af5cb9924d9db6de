"""Funded projects' mid-term and final reports (中期 / 结项 报告): the organization writes them on the project's page,
the district admin accepts or returns them."""
from flask import Blueprint

bp = Blueprint("project_reports", __name__, cli_group=None)

from blueprints.project_reports import district_views, policy, views  # noqa: E402,F401
