"""The partner month (公益伙伴月) for everyone: organizations tag their events to it, and its public page shows them as
a calendar with live totals by street, a share poster and a WeChat link preview."""
from flask import Blueprint

bp = Blueprint("month", __name__, cli_group=None)

from blueprints.month import views  # noqa: E402,F401
