"""Reads of review: the reviewers a proposal may get, the eligible proposals of a campaign, the loads."""
from peewee import fn

from models import Assignment, Conflict, Membership, Organization, Proposal, Score, Street, User


def district_reviewers(district_id):
    """The active reviewers serving the district, by id."""
    return User.select().where(
        User.role == "reviewer", User.active == True, User.district == district_id  # noqa: E712
    ).order_by(User.id)


def eligible_reviewers(proposal):
    """The active reviewers of the campaign's district who are neither members of the applicant nor in conflict
    (回避) with it, by id."""
    members = Membership.select(Membership.user).where(Membership.organization == proposal.organization_id)
    conflicted = Conflict.select(Conflict.reviewer).where(Conflict.organization == proposal.organization_id)
    return district_reviewers(proposal.campaign.district_id).where(
        User.id.not_in(members), User.id.not_in(conflicted)
    )


def eligible_proposals(campaign):
    """The campaign's proposals that passed 资格审查, by id."""
    return Proposal.select().where(Proposal.campaign == campaign, Proposal.status == "eligible").order_by(Proposal.id)


def assigned(proposal):
    """The reviewers assigned to ``proposal``, by id."""
    return User.select().join(Assignment, on=Assignment.reviewer).where(
        Assignment.proposal == proposal).order_by(User.id)


def loads(campaign):
    """reviewer id → the number of the campaign's proposals assigned to them."""
    rows = (Assignment.select(Assignment.reviewer, fn.COUNT(Assignment.id).alias("n"))
            .join(Proposal).where(Proposal.campaign == campaign).group_by(Assignment.reviewer).tuples())
    return dict(rows)


def district_organizations(district_id):
    """The admitted organizations of the district, by name."""
    return Organization.select().join(Street).where(
        Street.district == district_id, Organization.status.in_(("active", "flagged"))
    ).order_by(Organization.name, Organization.id)


def conflicts_of(reviewer):
    return Conflict.select().where(Conflict.reviewer == reviewer).order_by(Conflict.declared_at.desc(), Conflict.id)


def submitted_sheets(campaign):
    """The submitted review sheets of the campaign: proposal id → reviewer id → {criterion id: score (Decimal)}.

    Only submitted sheets count; a sheet saved but not submitted is the reviewer's own until then. One query.
    """
    rows = (Score.select(Assignment.proposal, Assignment.reviewer, Score.criterion, Score.score)
            .join(Assignment).join(Proposal)
            .where(Proposal.campaign == campaign, Assignment.submitted_at.is_null(False), Score.score.is_null(False))
            .tuples())
    sheets = {}
    for proposal_id, reviewer_id, criterion_id, score in rows:
        sheets.setdefault(proposal_id, {}).setdefault(reviewer_id, {})[criterion_id] = score
    return sheets
