"""The district console: every street side by side, staff accounts, the audit log; the first admin and other
districts."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", cli_group=None)
#: The audit log of one street, for its moderator: under /streets/<slug>/ beside the street console.
street_bp = Blueprint("street_audit", __name__, url_prefix="/streets")

from blueprints.admin import audit_views, cli, policy, views  # noqa: E402,F401
