"""The results' state changes: stage a decision (立项 with an amount, 未立项, or cleared), publish the results,
take an objection during 公示, mark an objection handled. Each asks the results policy and writes the audit log."""
from flask_babel import gettext as _

from blueprints.results import queries
from blueprints.results.policy import Results
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, Campaign, Objection, Proposal, db, utcnow

FUNDED, UNFUNDED, CLEAR = "funded", "unfunded", "clear"
DECISIONS = (FUNDED, UNFUNDED, CLEAR)


def grant_message(code, proposal, remaining):
    """The Chinese message of one of scoring.fund's refusal codes."""
    if code == "over_ask":
        return _("资助金额不能超过申请金额 %(amount)s 元", amount=f"{proposal.amount_requested or 0:,}")
    if code == "over_cap":
        return _("资助金额不能超过%(name)s的资助上限 %(amount)s 元",
                 name=proposal.category.name, amount=f"{proposal.category.max_grant:,}")
    if code == "over_budget":
        return _("超出资金池：还可分配 %(amount)s 元", amount=f"{int(remaining):,}")
    return _("资助金额应大于 0")


def lock_campaign(campaign):
    """The campaign's row, locked until the transaction ends (PostgreSQL), so two grants cannot both take the last
    of the budget; SQLite lets one writer in at a time anyway."""
    query = Campaign.select().where(Campaign.id == campaign.id)
    return (query.for_update() if db.for_update else query).get()


def decide(proposal, by, decision, amount=None):
    """Stage ``decision`` for an eligible proposal: 立项 with ``amount`` (default: the ask), 未立项, or clear it.

    A grant above the ask, the category's cap or what remains of the budget is refused (ValidationError on
    ``amount``); the grants are checked in the order decided, so a later one never displaces an earlier one.
    """
    require(by, "decide", Results(proposal.campaign))
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("请选择立项或未立项")})
    if proposal.status != "eligible":
        raise ValidationError({"decision": _("只有资格审查合格的申报书可以立项")})
    with db.atomic():
        campaign = lock_campaign(proposal.campaign)
        proposal = Proposal.get_by_id(proposal.id)
        if decision == FUNDED:
            amount = proposal.amount_requested if amount is None else amount
            if amount is None:
                raise ValidationError({"amount": _("请填写资助金额")})
            check_grant(campaign, proposal, amount)
        values = {
            FUNDED: ("funded", amount), UNFUNDED: ("unfunded", None), CLEAR: (None, None),
        }[decision]
        proposal.decision, proposal.amount_granted = values
        proposal.decided_by, proposal.decided_at = (by, utcnow()) if decision != CLEAR else (None, None)
        proposal.save()
        AuditLog.record(by, "results.decide", proposal, detail=f"{decision} {amount if decision == FUNDED else ''}"
                        .strip())
    return proposal


def check_grant(campaign, proposal, amount):
    """ValidationError on ``amount`` unless the grant fits after the others already staged, in their order."""
    others = [(p, granted) for p, granted in queries.staged_grants(campaign) if p.id != proposal.id]
    result = queries.funding(campaign, [*others, (proposal, amount)])
    codes = result.errors.get(proposal.id)
    if codes:
        raise ValidationError({"amount": grant_message(codes[0], proposal, result.remaining)})


def publish(campaign, by):
    """Publish the staged decisions at once; refused while any eligible proposal has none."""
    require(by, "publish", Results(campaign))
    with db.atomic():
        campaign = lock_campaign(campaign)
        left = queries.undecided_count(campaign)
        if left:
            raise ValidationError(_("还有 %(n)s 份申报书没有确定是否立项，全部确定后才能公布", n=left))
        result = queries.funding(campaign)
        if result.errors:
            raise ValidationError(_("有立项的资助金额超出了申请金额、类别上限或资金池，请先修改"))
        now = utcnow()
        Campaign.update(results_published_at=now, results_published_by=by, updated_at=now).where(
            Campaign.id == campaign.id).execute()
        AuditLog.record(by, "results.publish", campaign, detail=f"total {result.total}")
    return Campaign.get_by_id(campaign.id)


def raise_objection(campaign, name, phone, text, proposal=None):
    """An objection from anyone during 公示, about the results or one funded project; it reaches the district admin.

    No audit log entry: it would hold a resident's name; the objection is its own record.
    """
    require(None, "object", Results(campaign))
    if proposal is not None and (proposal.campaign_id != campaign.id or proposal.decision != "funded"):
        raise ValidationError({"project": _("请选择公示名单中的项目")})
    return Objection.create(campaign=campaign, proposal=proposal, name=name.strip(), phone=phone, text=text.strip())


def handle(objection, by, reply):
    """The district admin marks an objection handled, with what was done about it."""
    require(by, "handle", objection)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("请写明处理结果")})
    with db.atomic():
        updated = Objection.update(handled_at=utcnow(), handled_by=by, reply=reply).where(
            Objection.id == objection.id, Objection.handled_at.is_null()).execute()
        if not updated:
            raise ValidationError({"reply": _("这条异议已经处理过了")})
        AuditLog.record(by, "results.objection_handled", objection)
    return Objection.get_by_id(objection.id)
