"""Assigning reviewers to eligible proposals (by hand, or N per proposal spread evenly), declaring 回避, and the
reviewers' scoring (save, submit, change until scoring closes).

Never a reviewer outside the campaign's district, a member of the applicant, or one who declared a conflict with it.
"""
import re
import unicodedata
from decimal import Decimal

from flask_babel import gettext as _

from blueprints.reviews import queries
from core.errors import ValidationError
from core.policy import require
from models import Assignment, AuditLog, Conflict, Membership, Proposal, Score, db, utcnow

MAX_PER_PROPOSAL = 20
#: What a score may look like once full-width digits are folded: a number, perhaps signed, with a few decimals.
NUMBER = re.compile(r"-?\d{1,6}(\.\d{1,3})?")
HALF = Decimal("0.5")


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


def parse_score(text, criterion):
    """The score typed for ``criterion`` (None when empty); ValueError with the Chinese message when it is not a
    number within min_score–max_score in half points. Full-width digits (１７．５) are read as typed by an IME."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        raise ValueError(_("请填写数字，如 17.5"))
    value = Decimal(text)
    if not criterion.min_score <= value <= criterion.max_score:
        raise ValueError(_("请填写 %(min)s 到 %(max)s 之间的分数", min=criterion.min_score, max=criterion.max_score))
    if value % HALF:
        raise ValueError(_("分数以 0.5 分为单位，如 17 或 17.5"))
    return value.quantize(Decimal("0.1"))


def read_scores(criteria, entries, complete):
    """criterion id → (score or None, comment) from ``entries`` (criterion id → (text, comment)); ValidationError
    keyed by criterion id for each score out of range, and with ``complete`` for each one missing."""
    values, errors = {}, {}
    for criterion in criteria:
        text, comment = entries.get(criterion.id, ("", ""))
        try:
            score = parse_score(text, criterion)
        except ValueError as error:
            errors[criterion.id] = str(error)
            continue
        if score is None and complete:
            errors[criterion.id] = _("请为这一项打分")
        values[criterion.id] = (score, (comment or "").strip())
    if errors:
        raise ValidationError(errors)
    return values


def score(assignment, by, entries, comment="", submit=False):
    """Save the reviewer's sheet (partial allowed) or submit it (every criterion scored); a submitted sheet stays
    submitted and complete when changed, until scoring closes. ``entries``: criterion id → (score text, comment).
    ValidationError keyed by criterion id; PermissionDenied or LifecycleError (closed) from the policy."""
    require(by, "score", assignment)
    criteria = list(assignment.proposal.campaign.ordered_criteria())
    values = read_scores(criteria, entries, complete=submit or assignment.submitted)
    with db.atomic():
        existing = {row.criterion_id: row for row in Score.select().where(Score.assignment == assignment)}
        for criterion in criteria:
            value, note = values[criterion.id]
            row = existing.get(criterion.id) or Score(assignment=assignment, criterion=criterion)
            row.score, row.comment = value, note
            row.save()
        now = utcnow()
        assignment.comment = (comment or "").strip()
        assignment.saved_at = now
        first = not assignment.submitted
        if submit or assignment.submitted:
            assignment.submitted_at = now
        assignment.save()
        action = "review.submit" if submit and first else "review.resubmit" if assignment.submitted else "review.save"
        total = sum((value for value, _note in values.values() if value is not None), Decimal(0))
        AuditLog.record(by, action, assignment, detail=f"proposal {assignment.proposal_id}, total {total}")
    return assignment
