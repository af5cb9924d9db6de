"""Reads of proposals for the street office's console."""
from models import Campaign, Organization, Proposal


def eligibility_queue(street):
    """Submitted proposals of published contests from ``street``'s organizations, waiting for 资格审查, oldest first."""
    return (
        Proposal.select(Proposal, Organization, Campaign)
        .join(Organization).switch(Proposal).join(Campaign)
        .where(Organization.street == street, Proposal.status == "submitted", Campaign.published == True)  # noqa: E712
        .order_by(Proposal.submitted_at, Proposal.id)
    )
