"""The district admin's side of 资格审查: one list of a contest's proposals waiting for it from every street, each
decided in place through the same row as the street console's (the decisions post to the street's routes)."""
from flask import render_template, request, url_for
from flask_login import current_user, login_required

from blueprints.proposals import bp, queries
from blueprints.proposals.moderation import queue_item
from blueprints.proposals.views import campaign_or_404
from core.forms import ReasonForm
from core.policy import require
from models import Street


@bp.get("/campaigns/<int:campaign_id>/checks")
@login_required
def checks(campaign_id):
    """A contest's proposals waiting for 资格审查, grouped by street, filtered to one street with ``?street=``."""
    campaign = campaign_or_404(campaign_id)
    require(current_user, "manage", campaign)
    streets = list(Street.select().where(Street.district == campaign.district_id).order_by(Street.code))
    chosen = next((s for s in streets if s.slug == request.args.get("street", "")), None)
    here = url_for("proposals.checks", campaign_id=campaign.id, street=chosen.slug if chosen else None)
    by_street = {}
    for proposal in queries.campaign_checks(campaign, chosen):
        street = proposal.organization.street
        by_street.setdefault(street.id, (street, []))[1].append(queue_item(proposal, street, here + "#checks"))
    return render_template(
        "proposals/checks.html", campaign=campaign, streets=streets, chosen=chosen,
        counts=queries.checks_by_street(campaign), groups=list(by_street.values()),
        reason_form=ReasonForm(formdata=None),
    )
