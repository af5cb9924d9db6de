"""Assigning reviewers to eligible proposals (by hand, or N per proposal spread evenly) and declaring 回避.

Never a reviewer outside the campaign's district, a member of the applicant, or one who declared a conflict with it.
"""
from flask_babel import gettext as _

from blueprints.reviews import queries
from core.errors import ValidationError
from core.policy import require
from models import Assignment, AuditLog, Conflict, Membership, Proposal, db, utcnow

MAX_PER_PROPOSAL = 20


def refusal(proposal, reviewer):
    """Why ``reviewer`` may not review ``proposal``, or None."""
    if proposal.status != "eligible":
        return _("只有资格审查合格的申报书可以分配评审专家")
    if reviewer is None or reviewer.role != "reviewer" or not reviewer.active \
            or reviewer.district_id != proposal.campaign.district_id:
        return _("只能分配本区的评审专家")
    if Membership.select().where(Membership.user == reviewer,
                                 Membership.organization == proposal.organization_id).exists():
        return _("%(name)s是申报组织的成员，不能评审这份申报书", name=reviewer.name)
    if Conflict.select().where(Conflict.reviewer == reviewer,
                               Conflict.organization == proposal.organization_id).exists():
        return _("%(name)s已声明回避申报组织，不能评审这份申报书", name=reviewer.name)
    return None


def assign(proposal, reviewer, by):
    """Assign ``reviewer`` to ``proposal`` by hand; ValidationError (field ``reviewer``) says why not."""
    require(by, "assign", Assignment(proposal=proposal))
    with db.atomic():
        reason = refusal(proposal, reviewer)
        if reason is None and Assignment.select().where(
                Assignment.proposal == proposal, Assignment.reviewer == reviewer).exists():
            reason = _("%(name)s已经分配给这份申报书了", name=reviewer.name)
        if reason:
            raise ValidationError({"reviewer": reason})
        assignment = Assignment.create(proposal=proposal, reviewer=reviewer, assigned_by=by, assigned_at=utcnow())
        AuditLog.record(by, "review.assign", proposal, detail=f"reviewer {reviewer.id}")
    return assignment


def unassign(proposal, reviewer, by):
    """Take ``reviewer`` off ``proposal``; True if they were on it."""
    require(by, "assign", Assignment(proposal=proposal))
    with db.atomic():
        removed = Assignment.delete().where(Assignment.proposal == proposal, Assignment.reviewer == reviewer).execute()
        if removed:
            AuditLog.record(by, "review.unassign", proposal, detail=f"reviewer {reviewer.id}")
    return bool(removed)


def auto_assign(campaign, per_proposal, by):
    """Top every eligible proposal up to ``per_proposal`` reviewers, the least loaded eligible one first (ties by
    id), so the load spreads evenly. Returns (assignments added, proposals left with fewer than N)."""
    require(by, "assign", Assignment(proposal=Proposal(campaign=campaign)))
    if not 1 <= per_proposal <= MAX_PER_PROPOSAL:
        raise ValidationError({"per_proposal": _("请填写 1 到 %(n)s 之间的数", n=MAX_PER_PROPOSAL)})
    added = short = 0
    with db.atomic():
        load = queries.loads(campaign)
        for proposal in queries.eligible_proposals(campaign):
            current = {user.id for user in queries.assigned(proposal)}
            candidates = sorted(
                (user for user in queries.eligible_reviewers(proposal) if user.id not in current),
                key=lambda user: (load.get(user.id, 0), user.id),
            )
            chosen = candidates[:max(per_proposal - len(current), 0)]
            for user in chosen:
                Assignment.create(proposal=proposal, reviewer=user, assigned_by=by, assigned_at=utcnow())
                load[user.id] = load.get(user.id, 0) + 1
            added += len(chosen)
            if len(current) + len(chosen) < per_proposal:
                short += 1
        AuditLog.record(by, "review.auto_assign", campaign,
                        detail=f"{per_proposal} per proposal: {added} added, {short} short")
    return added, short


def declare_conflict(reviewer, organization, note=""):
    """回避: ``reviewer`` declares a conflict with ``organization``; their assignments to its proposals are removed.
    Returns (the conflict, the number of assignments removed)."""
    conflict = Conflict(reviewer=reviewer, organization=organization, note=(note or "").strip()[:200])
    require(reviewer, "declare", conflict)
    with db.atomic():
        if Conflict.select().where(Conflict.reviewer == reviewer, Conflict.organization == organization).exists():
            raise ValidationError({"organization": _("已经声明过回避这个组织了")})
        conflict.declared_at = utcnow()
        conflict.save()
        proposals = Proposal.select(Proposal.id).where(Proposal.organization == organization)
        removed = Assignment.delete().where(
            Assignment.reviewer == reviewer, Assignment.proposal.in_(proposals)).execute()
        AuditLog.record(reviewer, "review.conflict", organization, detail=f"{removed} assignments removed")
    return conflict, removed
