"""Organizations: registration, their pages, volunteer invitations, and the street office's decision on them."""
from flask import Blueprint

bp = Blueprint("orgs", __name__)

from blueprints.orgs import policy, profile_views, queries, street_views, views  # noqa: E402,F401

#: Open signals of a page of organizations, for the list the street console includes (templates/streets/_org_list.html).
bp.add_app_template_global(queries.open_signal_counts, "org_signal_counts")
