"""Demo data to click through on first run: no pages, only the commands `seed-demo` and `demo-accounts`."""
from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group=None)

from blueprints.demo import cli  # noqa: E402,F401
