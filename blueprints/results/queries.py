"""Reads of the results: the ranking with every reviewer's scores, the staged grants against the budget, the funded
projects, the objections. The arithmetic is blueprints/campaigns/scoring.py's; this only feeds it from the database."""
from dataclasses import dataclass, field
from decimal import Decimal

from peewee import JOIN, fn

from blueprints.campaigns import scoring
from blueprints.reviews.queries import rubric, submitted_sheets
from models import Assignment, Campaign, Category, Objection, Organization, Proposal, User

#: A reviewer whose total lies more than this from the median of the proposal's totals is marked.
OUTLIER_THRESHOLD = Decimal(15)


@dataclass
class Sheet:
    """One reviewer's submitted sheet of one proposal: the scores in rubric order and their total."""

    reviewer: User
    scores: list
    total: Decimal
    outlier: bool = False


@dataclass
class Row:
    """One eligible proposal in the ranking."""

    proposal: Proposal
    place: int | None
    combined: Decimal | None
    sheets: list = field(default_factory=list)
    assigned: int = 0
    #: The grant's refusal codes when a staged grant no longer fits (scoring.fund), else empty.
    refused: list = field(default_factory=list)

    @property
    def shown(self):
        """The combined score rounded to 2 decimals, for the page."""
        return scoring.display(self.combined)


def eligible(campaign):
    """The proposals that passed 资格审查, with their organization and category, by id."""
    return list(
        Proposal.select(Proposal, Organization, Category)
        .join(Organization).switch(Proposal).join(Category, join_type=JOIN.LEFT_OUTER)
        .where(Proposal.campaign == campaign, Proposal.status == "eligible")
        .order_by(Proposal.id)
    )


def assigned_counts(campaign):
    """proposal id → the number of reviewers assigned to it."""
    rows = (Assignment.select(Assignment.proposal, fn.COUNT(Assignment.id))
            .join(Proposal).where(Proposal.campaign == campaign).group_by(Assignment.proposal).tuples())
    return dict(rows)


def complete_sheets(campaign, criteria):
    """proposal id → [Sheet] of the submitted sheets that score every criterion (a sheet the rubric no longer
    matches is left out rather than counted half), reviewers by id."""
    sheets = submitted_sheets(campaign)
    reviewer_ids = {rid for by_reviewer in sheets.values() for rid in by_reviewer}
    reviewers = {u.id: u for u in User.select().where(User.id.in_(reviewer_ids))} if reviewer_ids else {}
    result = {}
    for proposal_id, by_reviewer in sheets.items():
        for reviewer_id in sorted(by_reviewer):
            scores = by_reviewer[reviewer_id]
            try:
                total = scoring.reviewer_total(scores, criteria)
            except scoring.ScoreError:
                continue
            result.setdefault(proposal_id, []).append(
                Sheet(reviewers[reviewer_id], [scores[c.id] for c in criteria], total))
    return result


def ranking(campaign):
    """Every eligible proposal, best first by the combined score under the campaign's rule (ties share a place),
    each with its reviewers' sheets (outliers marked) and how many of those assigned submitted."""
    criteria = rubric(campaign)
    proposals = {p.id: p for p in eligible(campaign)}
    sheets = complete_sheets(campaign, criteria)
    assigned = assigned_counts(campaign)
    ranked = scoring.rank(
        [{"id": pid, "totals": [s.total for s in sheets.get(pid, [])]} for pid in proposals], campaign.scoring)
    rows = []
    for item in ranked:
        own = sheets.get(item.id, [])
        flagged = scoring.outliers({s.reviewer.id: s.total for s in own}, OUTLIER_THRESHOLD)
        for sheet in own:
            sheet.outlier = sheet.reviewer.id in flagged
        rows.append(Row(proposals[item.id], item.place, item.combined, own, assigned.get(item.id, 0)))
    return rows


def staged_grants(campaign):
    """The 立项 decisions of the campaign in the order they were taken: [(proposal, amount granted)]."""
    return [
        (p, p.amount_granted)
        for p in Proposal.select(Proposal, Category).join(Category, join_type=JOIN.LEFT_OUTER)
        .where(Proposal.campaign == campaign, Proposal.status == "eligible", Proposal.decision == "funded")
        .order_by(Proposal.decided_at, Proposal.id)
    ]


def funding(campaign, grants=None):
    """scoring.fund over the staged grants (or ``grants``: [(proposal, amount)]) against the budget."""
    grants = staged_grants(campaign) if grants is None else grants
    asks = {p.id: p.amount_requested or 0 for p, _amount in grants}
    caps = {p.id: p.category.max_grant for p, _amount in grants if p.category_id is not None}
    return scoring.fund([(p.id, amount or 0) for p, amount in grants], campaign.budget, asks=asks, caps=caps)


def undecided_count(campaign):
    return Proposal.select().where(
        Proposal.campaign == campaign, Proposal.status == "eligible", Proposal.decision.is_null()).count()


def funded(campaign):
    """The 立项 proposals, in ranking order: what the public results page lists."""
    order = {row.proposal.id: index for index, row in enumerate(ranking(campaign))}
    projects = [row for row in eligible(campaign) if row.decision == "funded"]
    return sorted(projects, key=lambda p: order.get(p.id, len(order)))


def objections(campaign):
    """The campaign's objections, open ones first, newest first."""
    return list(
        Objection.select().where(Objection.campaign == campaign)
        .order_by(Objection.handled_at.is_null(False), Objection.created_at.desc(), Objection.id.desc())
    )


def open_objections(user):
    """待办: [(campaign, number of open objections)] of the district admin's campaigns."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None):
        return []
    rows = (Objection.select(Objection.campaign, fn.COUNT(Objection.id))
            .join(Campaign).where(Campaign.district == user.district_id, Objection.handled_at.is_null())
            .group_by(Objection.campaign).tuples())
    counts = dict(rows)
    if not counts:
        return []
    campaigns = Campaign.select().where(Campaign.id.in_(list(counts))).order_by(Campaign.id)
    return [(campaign, counts[campaign.id]) for campaign in campaigns]
