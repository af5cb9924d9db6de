"""A proposal's life: started as a draft, saved section by section, files attached, submitted or withdrawn.

Each operation asks the proposals policy whether its actor may act now (policy.py), checks what a form cannot see
alone (the category's cap, the total, the budget table's lines), and writes the audit log.
"""
import datetime
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.proposals.policy import LIFECYCLE
from core.errors import LifecycleError, ValidationError
from core.policy import require
from core.timeutil import local_now, to_utc
from core.uploads import delete_stored, store_attachment
from models import AuditLog, Category, Proposal, ProposalFile, Street, db, utcnow

#: section → the proposal's fields it sets.
SECTION_FIELDS = {
    "basics": ("title", "category", "service_field", "beneficiaries", "street", "starts_on", "ends_on",
               "beneficiary_count"),
    "budget": ("total_budget", "amount_requested", "budget_items"),
    "summary": ("summary",),
    "needs": ("needs",),
    "plan": ("plan",),
    "outcomes": ("outcomes",),
    "team": ("team",),
}
#: Every field must be filled in before submitting.
REQUIRED = tuple(name for names in SECTION_FIELDS.values() for name in names)
BUDGET_LINE = re.compile(r"^(.+?)[\s:：,，]+(\d{1,9})\s*元?$")
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
MAX_FILES = 20
#: What stands beside each field still empty when submitting.
MISSING = _l("提交前请填写这一项")


def start(campaign, organization, by):
    """A new draft of ``organization`` for ``campaign``; refused beyond the contest's number per organization."""
    proposal = Proposal(campaign=campaign, organization=organization, created_by=by)
    require(by, "start", proposal)
    with db.atomic():
        count = Proposal.select().where(
            Proposal.campaign == campaign, Proposal.organization == organization, Proposal.status != "withdrawn"
        ).count()
        if count >= campaign.max_proposals_per_org:
            raise ValidationError(
                {"": _("每个组织最多申报 %(n)s 个项目，本组织已经申报了 %(count)s 个",
                       n=campaign.max_proposals_per_org, count=count)}
            )
        proposal.save()
        AuditLog.record(by, "proposal.start", proposal)
    return proposal


def budget_lines(text):
    """(item, amount) of each line of the budget table; ValidationError naming a line that is not one."""
    lines = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = BUDGET_LINE.match(line)
        if match is None:
            raise ValidationError({"budget_items": _("第 %(n)s 行应为名称和金额，如：场地租赁 3000", n=number)})
        lines.append((match.group(1).strip(), int(match.group(2))))
    return lines


def cap_errors(category, total, amount):
    """The 申请金额 within the category's cap and the total budget: each message beside its field."""
    errors = {}
    if amount is not None and category is not None and amount > category.max_grant:
        errors["amount_requested"] = _("申请金额不能超过%(name)s的资助上限 %(cap)s 元",
                                       name=category.name, cap=f"{category.max_grant:,}")
    elif amount is not None and total is not None and amount > total:
        errors["amount_requested"] = _("申请金额不能超过项目总预算")
    return errors


def resolve(proposal, section, data):
    """``data`` turned into the proposal's values (a category and a street instead of their ids), checked."""
    values = {name: data.get(name) for name in SECTION_FIELDS[section]}
    errors = {}
    if section == "basics":
        category_id, street_id = values.pop("category"), values.pop("street")
        values["category"] = None if category_id is None else Category.get_or_none(
            Category.id == category_id, Category.campaign == proposal.campaign_id)
        values["street"] = None if street_id is None else Street.get_or_none(
            Street.id == street_id, Street.district == proposal.campaign.district_id)
        for name in ("starts_on", "ends_on"):
            if values[name] is not None and not EARLIEST <= values[name] <= LATEST:
                errors[name] = _("请填写正确的日期")
        if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
            errors.setdefault("ends_on", _("结束日期不能早于开始日期"))
        errors.update(cap_errors(values["category"], proposal.total_budget, proposal.amount_requested))
        if "amount_requested" in errors:
            errors["category"] = errors.pop("amount_requested")
    elif section == "budget":
        budget_lines(values["budget_items"])
        errors.update(cap_errors(proposal.category, values["total_budget"], values["amount_requested"]))
    for name, value in values.items():
        if isinstance(value, str):
            values[name] = value.strip()
    if errors:
        raise ValidationError(errors)
    return values


def budget_sum(text):
    """The sum of the budget table's well-formed lines (what the page shows while a line is still being typed)."""
    total = 0
    for line in (text or "").splitlines():
        match = BUDGET_LINE.match(line.strip())
        if match is not None:
            total += int(match.group(2))
    return total


def budget_mismatch(total, text):
    """The message when the budget table's lines do not add up to 项目总预算, else ""."""
    if total is None or not (text or "").strip():
        return ""
    added = budget_sum(text)
    if added == total:
        return ""
    return _("预算明细合计 %(sum)s 元，与项目总预算 %(total)s 元不一致", sum=f"{added:,}", total=f"{total:,}")


def still_complete(section, values):
    """A submitted proposal stays complete: no field of ``section`` emptied, its budget table adding up."""
    errors = {name: _("申报书已提交，这一项不能为空") for name, value in values.items()
              if value is None or (isinstance(value, str) and not value.strip())}
    if section == "budget" and "total_budget" not in errors:
        mismatch = budget_mismatch(values["total_budget"], values["budget_items"])
        if mismatch:
            errors["total_budget"] = mismatch
    if errors:
        raise ValidationError(errors)


def changed_fields(proposal, values):
    """The names of the fields ``values`` changes (for the audit log)."""
    def stored(name):
        return getattr(proposal, name + "_id") if name in ("category", "street") else getattr(proposal, name)

    def given(value):
        return value.id if hasattr(value, "id") else value

    return [name for name, value in values.items() if stored(name) != given(value)]


def save_section(proposal, by, section, data):
    """Save one section of a draft, or of a submitted proposal before the deadline (it stays submitted, complete)."""
    require(by, "edit", proposal)
    values = resolve(proposal, section, data)
    status = proposal.status
    if status == "submitted":
        still_complete(section, values)
    changed = changed_fields(proposal, values)
    with db.atomic():
        # Only while the status is still the one checked: a street office deciding meanwhile locks it.
        updated = Proposal.update({**values, "updated_at": utcnow()}).where(
            Proposal.id == proposal.id, Proposal.status == status).execute()
        if not updated:
            proposal.status = Proposal.get_by_id(proposal.id).status
            require(by, "edit", proposal)
            raise LifecycleError(_("申报书的状态刚刚改变了，请刷新页面"))
        for name, value in values.items():
            setattr(proposal, name, value)
        action = "proposal.amend" if status == "submitted" else "proposal.save"
        AuditLog.record(by, action, proposal, detail=f"{section}: {', '.join(changed) or '-'}")
    return proposal


def missing(proposal):
    """The fields of ``proposal`` still empty."""
    return [name for name in REQUIRED if getattr(proposal, name) in (None, "")]


def check_complete(proposal):
    """ValidationError unless every field is filled in, the amount within the cap and the total, and the budget
    table adds up to the total (a mismatch is only a warning while drafting; a clerk would send it back)."""
    errors = {name: MISSING for name in missing(proposal)}
    errors.update(cap_errors(proposal.category, proposal.total_budget, proposal.amount_requested))
    mismatch = budget_mismatch(proposal.total_budget, proposal.budget_items)
    if mismatch:
        errors.setdefault("total_budget", mismatch)
    if errors:
        raise ValidationError(errors)


def submit(proposal, by):
    """Send a complete draft: every section filled in, the amount within the cap and the total."""
    require(by, "submit", proposal)
    check_complete(proposal)
    return LIFECYCLE.apply(proposal, "submit", by, submitted_at=utcnow(), updated_at=utcnow())


def withdraw(proposal, by):
    require(by, "withdraw", proposal)
    return LIFECYCLE.apply(proposal, "withdraw", by, updated_at=utcnow())


def attach(proposal, by, file_storage):
    """Check and store an uploaded file, attached to a draft; UploadRefused says why not."""
    require(by, "edit", proposal)
    if proposal.files.count() >= MAX_FILES:
        raise ValidationError(_("每份申报书最多 %(n)s 个附件", n=MAX_FILES))
    stored = store_attachment(file_storage)
    with db.atomic():
        row = ProposalFile.create(
            proposal=proposal, key=stored.key, kind=stored.kind, size=stored.size,
            original_name=stored.original_name[:100], sha256=stored.sha256, uploaded_by=by,
        )
        AuditLog.record(by, "proposal.attach", proposal, detail=row.original_name)
    return row


def detach(proposal, by, row):
    """Delete an attachment of a proposal that may still be changed: its row, then the stored file."""
    require(by, "edit", proposal)
    with db.atomic():
        ProposalFile.delete().where(ProposalFile.id == row.id, ProposalFile.proposal == proposal.id).execute()
        AuditLog.record(by, "proposal.detach", proposal, detail=row.original_name)
    # After the commit: a failed transaction leaves the file where its row still points.
    delete_stored(row.key)


def check_values(by, **changes):
    return {"checked_by": by, "checked_at": utcnow(), "updated_at": utcnow(), **changes}


def approve(proposal, by):
    """资格审查: eligible."""
    require(by, "approve", proposal)
    return LIFECYCLE.apply(proposal, "approve", by, street=proposal.organization.street,
                           **check_values(by, check_note=""))


def reject(proposal, by, reason):
    """资格审查: ineligible, with the reason the organization reads."""
    require(by, "reject", proposal)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明理由")})
    return LIFECYCLE.apply(proposal, "reject", by, detail=reason, street=proposal.organization.street,
                           **check_values(by, check_note=reason))


def return_(proposal, by, comment, revise_by):
    """资格审查: returned for revision with a comment; the organization may revise and resubmit until the end of
    ``revise_by`` (a Shanghai date)."""
    require(by, "return", proposal)
    comment = (comment or "").strip()
    errors = {}
    if not comment:
        errors["reason"] = _("请写明需要修改的内容")
    if revise_by is None:
        errors["revise_by"] = _("请填写修改截止日期")
    elif not local_now().date() <= revise_by <= LATEST:
        errors["revise_by"] = _("修改截止日期不能早于今天")
    if errors:
        raise ValidationError(errors)
    deadline = to_utc(datetime.datetime.combine(revise_by, datetime.time(23, 59, 59)))
    return LIFECYCLE.apply(proposal, "return", by, detail=comment, street=proposal.organization.street,
                           **check_values(by, check_note=comment, revise_by=deadline))


def resubmit(proposal, by):
    """A returned proposal, revised, sent again for 资格审查 (before its revise-by date)."""
    require(by, "resubmit", proposal)
    check_complete(proposal)
    return LIFECYCLE.apply(proposal, "resubmit", by, street=proposal.organization.street,
                           submitted_at=utcnow(), updated_at=utcnow())
