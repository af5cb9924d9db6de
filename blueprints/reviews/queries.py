"""Reads of review: the reviewers a proposal may get, the eligible proposals of a campaign, the loads, a reviewer's
sheets and what waits for them, the scoring's progress."""
from decimal import Decimal

from peewee import fn

from blueprints.campaigns import scoring
from models import Assignment, Campaign, Conflict, Membership, Organization, Proposal, Score, Street, User, utcnow


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


def sheet_scores(assignment):
    """criterion id → the Score row of ``assignment``'s sheet."""
    return {row.criterion_id: row for row in Score.select().where(Score.assignment == assignment)}


def totals(assignment_ids):
    """assignment id → the sum of the scores filled in on its sheet (absent: nothing filled in)."""
    result = {}
    if not assignment_ids:
        return result
    rows = Score.select(Score.assignment, Score.score).where(
        Score.assignment.in_(list(assignment_ids)), Score.score.is_null(False)).tuples()
    for assignment_id, value in rows:
        result[assignment_id] = result.get(assignment_id, Decimal(0)) + Decimal(value)
    return result


def state(assignment):
    """not_started, saved or submitted."""
    if assignment.submitted:
        return "submitted"
    return "saved" if assignment.saved_at is not None else "not_started"


def assignments_of(reviewer):
    """The reviewer's sheets on eligible proposals, grouped by campaign (the latest first): a list of
    {campaign, rows: [{assignment, proposal, state, total}], submitted, assigned}."""
    query = (Assignment.select(Assignment, Proposal, Campaign, Organization)
             .join(Proposal).join(Campaign).switch(Proposal).join(Organization)
             .where(Assignment.reviewer == reviewer, Proposal.status == "eligible")
             .order_by(Campaign.review_ends_at.desc(), Campaign.id, Proposal.id))
    assignments = list(query)
    sums = totals([a.id for a in assignments])
    groups = {}
    for assignment in assignments:
        campaign = assignment.proposal.campaign
        group = groups.setdefault(campaign.id, {"campaign": campaign, "rows": [], "submitted": 0})
        group["rows"].append({"assignment": assignment, "proposal": assignment.proposal, "state": state(assignment),
                              "total": sums.get(assignment.id)})
        group["submitted"] += assignment.submitted
    for group in groups.values():
        group["assigned"] = len(group["rows"])
    return list(groups.values())


def waiting_for_score(reviewer):
    """(campaign, number of its proposals assigned to ``reviewer`` and not yet submitted) for each campaign still
    open for scoring, the one closing first first."""
    rows = (Campaign.select(Campaign, fn.COUNT(Assignment.id).alias("waiting"))
            .join(Proposal).join(Assignment)
            .where(Assignment.reviewer == reviewer, Assignment.submitted_at.is_null(), Proposal.status == "eligible",
                   Campaign.review_ends_at > utcnow())
            .group_by(Campaign.id).order_by(Campaign.review_ends_at, Campaign.id))
    return [(campaign, campaign.waiting) for campaign in rows]


def other_sheets(assignment):
    """The other reviewers' submitted sheets of the same proposal, in the order they were assigned: a list of
    {scores: {criterion id: Decimal}, total}. Anonymous: no reviewer is named."""
    others = list(Assignment.select().where(
        Assignment.proposal == assignment.proposal_id, Assignment.id != assignment.id,
        Assignment.submitted_at.is_null(False)).order_by(Assignment.id))
    scores = {}
    rows = Score.select(Score.assignment, Score.criterion, Score.score).where(
        Score.assignment.in_([a.id for a in others]), Score.score.is_null(False)).tuples()
    for assignment_id, criterion_id, value in rows:
        scores.setdefault(assignment_id, {})[criterion_id] = Decimal(value)
    return [{"scores": scores.get(other.id, {}), "total": sum(scores.get(other.id, {}).values(), Decimal(0))}
            for other in others]


def rubric(campaign):
    """The campaign's criteria as the scoring arithmetic takes them."""
    return [scoring.Criterion(c.id, c.name, Decimal(c.max_score), c.guide) for c in campaign.ordered_criteria()]


def submitted_totals(campaign):
    """proposal id → reviewer id → the total of their submitted sheet (a sheet the rubric cannot total is left
    out: it is not complete)."""
    criteria = rubric(campaign)
    result = {}
    for proposal_id, sheets in submitted_sheets(campaign).items():
        for reviewer_id, scores in sheets.items():
            try:
                result.setdefault(proposal_id, {})[reviewer_id] = scoring.reviewer_total(scores, criteria)
            except scoring.ScoreError:
                continue
    return result


def progress(campaign):
    """The scoring of the campaign's eligible proposals: (rows, reviewers).

    rows: per proposal {proposal, reviewers: [{user, state, total, outlier, gap}], combined, submitted, assigned},
    combined by the campaign's rule over the submitted totals, ``gap`` the distance of an outlier's total from the
    median of all. reviewers: per reviewer {user, assigned, submitted}."""
    proposals = list(Proposal.select(Proposal, Organization).join(Organization).where(
        Proposal.campaign == campaign, Proposal.status == "eligible").order_by(Proposal.id))
    assignments = list(Assignment.select(Assignment, User).join(User, on=Assignment.reviewer)
                       .where(Assignment.proposal.in_([p.id for p in proposals])).order_by(Assignment.id))
    sums, done = totals([a.id for a in assignments]), submitted_totals(campaign)
    by_proposal, load = {}, {}
    for assignment in assignments:
        by_proposal.setdefault(assignment.proposal_id, []).append(assignment)
        counts = load.setdefault(assignment.reviewer_id, {"user": assignment.reviewer, "assigned": 0, "submitted": 0})
        counts["assigned"] += 1
        counts["submitted"] += assignment.submitted
    rows = [proposal_progress(proposal, by_proposal.get(proposal.id, []), sums, done.get(proposal.id, {}),
                              campaign.scoring) for proposal in proposals]
    return rows, sorted(load.values(), key=lambda counts: counts["user"].id)


def proposal_progress(proposal, assignments, sums, submitted, rule):
    """One proposal's row of the progress page (see progress)."""
    flagged = scoring.outliers(submitted)
    median = scoring.combine(submitted.values(), scoring.MEDIAN) if flagged else None
    reviewers = []
    for assignment in assignments:
        total = submitted.get(assignment.reviewer_id) if assignment.submitted else sums.get(assignment.id)
        outlier = assignment.reviewer_id in flagged
        reviewers.append({"user": assignment.reviewer, "state": state(assignment), "total": total,
                          "outlier": outlier, "gap": total - median if outlier else None})
    return {"proposal": proposal, "reviewers": reviewers,
            "combined": scoring.display(scoring.combine(submitted.values(), rule)),
            "submitted": len(submitted), "assigned": len(assignments)}
