"""The street office's side of 资格审查: eligible, ineligible with a reason, or returned for revision, in place."""
from flask import abort
from flask_login import current_user, login_required

from blueprints.proposals import bp, operations
from blueprints.proposals.forms import ReviseForm
from blueprints.proposals.moderation import queue_item
from core.access import street_or_404
from core.forms import ReasonForm
from core.moderation import decide
from core.urls import safe_next
from models import Campaign, Organization, Proposal


def street_proposal_or_404(street, proposal_id):
    """A proposal of a published contest from an organization of ``street`` (already scoped by street_or_404)."""
    proposal = (
        Proposal.select().join(Organization).switch(Proposal).join(Campaign)
        .where(Proposal.id == proposal_id, Organization.street == street, Campaign.published == True)  # noqa: E712
        .first()
    )
    if proposal is None:
        abort(404)
    return proposal


def row_for(street):
    """The row a decision answers with: of the queue it was taken from (``next``: the district's list), else of the
    street console's."""
    back = safe_next()
    return lambda proposal: queue_item(proposal, street, back)


@bp.post("/streets/<slug>/proposals/<int:proposal_id>/eligible")
@login_required
def eligible(slug, proposal_id):
    """资格审查合格, in place."""
    street = street_or_404(slug)
    proposal = street_proposal_or_404(street, proposal_id)
    return decide(row_for(street), proposal, lambda: operations.approve(proposal, current_user))


@bp.post("/streets/<slug>/proposals/<int:proposal_id>/ineligible")
@login_required
def ineligible(slug, proposal_id):
    """资格审查不合格, with the reason the organization reads, in place."""
    street = street_or_404(slug)
    proposal = street_proposal_or_404(street, proposal_id)
    form = ReasonForm()
    return decide(row_for(street), proposal,
                  lambda: operations.reject(proposal, current_user, form.reason.data), form)


@bp.post("/streets/<slug>/proposals/<int:proposal_id>/return")
@login_required
def return_(slug, proposal_id):
    """退回修改 with a comment and the date to resubmit by, in place."""
    street = street_or_404(slug)
    proposal = street_proposal_or_404(street, proposal_id)
    form = ReviseForm()
    return decide(row_for(street), proposal,
                  lambda: operations.return_(proposal, current_user, form.reason.data, form.revise_by.data), form)
