"""Reports (活动报告): after an event ends its organization reports with photos; the street reviews it."""
from flask import Blueprint

bp = Blueprint("reports", __name__, cli_group=None)

from blueprints.reports import policy, queries, street_views, views  # noqa: E402,F401

#: 报告请于…前提交 / 已逾期 N 天, on the event's manage page (templates/reports/_deadline.html).
bp.add_app_template_global(queries.deadline, "report_deadline")
