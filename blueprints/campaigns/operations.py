"""Setting up a campaign: create (with the usual categories and rubric when none are given), edit, publish.

Every operation asks the campaigns policy whether its actor may act (policy.py), checks what the form cannot see
alone (the phases in order, the weights adding up to 100, no cap above the budget), and writes the audit log.
"""
import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.errors import ValidationError
from core.policy import require
from core.timeutil import to_local
from core.uploads import UploadRefused, delete_stored, store_photo
from models import AuditLog, Campaign, Category, Criterion, Extension, Organization, Proposal, Score, Street, db, utcnow

#: The categories of the Changning contest; each cap is also bounded by the budget.
DEFAULT_CATEGORIES = ((_l("民生服务类"), 200000), (_l("社区治理类"), 200000), (_l("公益慈善类"), 200000))
#: The usual rubric: name, weight (= the highest score, so the total is out of 100), one line for the reviewer.
DEFAULT_CRITERIA = (
    (_l("需求分析"), 20, _l("服务需求真实、具体，有调研或数据支撑")),
    (_l("项目设计"), 25, _l("目标清晰，活动设计合理，与需求对应")),
    (_l("执行能力"), 20, _l("团队专业，有同类项目经验和管理制度")),
    (_l("预算合理性"), 15, _l("预算明细清楚，标准合理，与活动相符")),
    (_l("创新性"), 10, _l("服务内容或方式有新意，可借鉴推广")),
    (_l("可持续性与社会效益"), 10, _l("受益面广，成效可衡量，项目结束后能延续")),
)
#: What a campaign's form sets directly.
FIELDS = ("name", "description", "application_opens_at", "application_closes_at", "eligibility_ends_at",
          "review_ends_at", "notice_starts_at", "notice_ends_at", "results_at", "budget", "scoring", "blind_review",
          "show_others", "max_proposals_per_org", "objection_contact")
#: Each phase boundary with the one before it, the form field its message goes beside, and the message.
ORDER = (
    ("application_opens_at", "application_closes_at", "application_closes", _l("申报截止日期不能早于申报开始日期")),
    ("application_closes_at", "eligibility_ends_at", "eligibility_ends", _l("资格审查结束日期要晚于申报截止日期")),
    ("eligibility_ends_at", "review_ends_at", "review_ends", _l("专家评审结束日期要晚于资格审查结束日期")),
    ("review_ends_at", "notice_starts_at", "notice_starts", _l("公示开始日期要晚于专家评审结束日期")),
    ("notice_starts_at", "notice_ends_at", "notice_ends", _l("公示结束日期不能早于公示开始日期")),
    ("notice_ends_at", "results_at", "results_on", _l("结果公布日期要晚于公示结束日期")),
)

#: Boundaries that may fall on the previous one: the phase after a gap starts the day after the last one ended.
MAY_MEET = ("notice_starts", "results_on")


def default_categories(budget):
    """The three usual categories, each capped at 20万 or at the budget if that is smaller."""
    return [(str(name), min(cap, budget) if budget else cap) for name, cap in DEFAULT_CATEGORIES]


def default_criteria():
    return [(str(name), weight, str(guide)) for name, weight, guide in DEFAULT_CRITERIA]


def with_defaults(data):
    """``data`` with the usual categories and rubric where it gives none."""
    return {
        **data,
        "categories": data.get("categories") or default_categories(data["budget"]),
        "criteria": data.get("criteria") or default_criteria(),
        "objection_contact": (data.get("objection_contact") or "").strip(),
    }


def check(data):
    """The phases in order, the weights adding up to 100, every cap within the budget: each message beside its field."""
    errors = {}
    for earlier, later, field, message in ORDER:
        # Ends are exclusive (the midnight after the last day), starts are the day's midnight: a start may meet the
        # previous end, a phase's own end must come after its start.
        if data[later] < data[earlier] or (data[later] == data[earlier] and field not in MAY_MEET):
            errors.setdefault(field, str(message))
    total = sum(weight for _name, weight, _guide in data["criteria"])
    if total != 100:
        errors["criteria"] = _("各项权重之和应为 100，现在是 %(total)s", total=total)
    over = [name for name, cap in data["categories"] if cap > data["budget"]]
    if over:
        errors["categories"] = _("%(names)s的资助上限超过了资金池总额", names="、".join(over))
    if errors:
        raise ValidationError(errors)


def _save_lists(campaign, data):
    """Make the campaign's categories and rubric those of ``data``, in their order.

    Rows are kept and changed in place, position by position, so proposals keep their category and reviewers their
    scores; a category some proposal is filed under is never removed, and once any reviewer has scored, the rubric's
    criteria and weights no longer change (a guide line still may). ValidationError says which, beside the field.
    """
    categories = list(campaign.ordered_categories()) if campaign.id else []
    criteria = list(campaign.ordered_criteria()) if campaign.id else []
    wanted = [(name, weight) for name, weight, _guide in data["criteria"]]
    if criteria and [(c.name, c.weight) for c in criteria] != wanted and Score.select().where(
            Score.criterion.in_([c.id for c in criteria])).exists():
        raise ValidationError({"criteria": _("已有评审专家评分，评分项和权重不能再修改（说明可以改）")})
    dropped = categories[len(data["categories"]):]
    used = [c.name for c in dropped if Proposal.select().where(Proposal.category == c.id).exists()]
    if used:
        raise ValidationError({"categories": _("%(names)s已有申报书，不能删除这个类别", names="、".join(used))})
    for position, (name, cap) in enumerate(data["categories"]):
        row = categories[position] if position < len(categories) else Category(campaign=campaign)
        row.name, row.max_grant, row.position = name, cap, position
        row.save()
    for position, (name, weight, guide) in enumerate(data["criteria"]):
        row = criteria[position] if position < len(criteria) else Criterion(campaign=campaign, min_score=0)
        row.name, row.weight, row.max_score, row.guide, row.position = name, weight, weight, guide, position
        row.save()
    for row in (*dropped, *criteria[len(data["criteria"]):]):
        row.delete_instance()


def create_campaign(district, by, data):
    """The district admin sets up a contest, as a draft; the usual categories and rubric fill what is left empty."""
    campaign = Campaign(district=district, kind="contest", created_by=by)
    require(by, "manage", campaign)
    data = with_defaults(data)
    check(data)
    with db.atomic():
        for name in FIELDS:
            setattr(campaign, name, data[name])
        campaign.save()
        _save_lists(campaign, data)
        AuditLog.record(by, "campaign.create", campaign)
    return campaign


def update_campaign(campaign, by, data):
    """Edit a campaign: its fields, categories and rubric (empty lists bring the usual ones back)."""
    require(by, "manage", campaign)
    data = with_defaults(data)
    check(data)
    with db.atomic():
        for name in FIELDS:
            setattr(campaign, name, data[name])
        campaign.updated_at = utcnow()
        campaign.save()
        _save_lists(campaign, data)
        AuditLog.record(by, "campaign.edit", campaign)
    return campaign


def publish(campaign, by):
    """Show the campaign to everyone."""
    require(by, "publish", campaign)
    with db.atomic():
        now = utcnow()
        updated = (
            Campaign.update(published=True, published_at=now, updated_at=now)
            .where(Campaign.id == campaign.id, Campaign.published == False)  # noqa: E712
            .execute()
        )
        if updated:
            AuditLog.record(by, "campaign.publish", campaign)
    campaign.published, campaign.published_at = True, now
    return campaign


def extendable_organizations(campaign):
    """The admitted organizations of the campaign's district: those an extension may be granted to."""
    return (
        Organization.select().join(Street)
        .where(Street.district == campaign.district_id, Organization.status == "active")
        .order_by(Organization.name)
    )


def grant_extension(campaign, organization, until, by):
    """延期申报: ``organization`` may keep writing until ``until`` (naive UTC, exclusive: the midnight after the
    chosen day). Granting again moves the date. Only the district admin; the date must come after the deadline."""
    require(by, "manage", campaign)
    offered = extendable_organizations(campaign)
    if organization is None or not offered.where(Organization.id == organization.id).exists():
        raise ValidationError({"organization": _("请选择本区已通过审核的社会组织")})
    if until <= campaign.application_closes_at:
        raise ValidationError({"until": _("延期日期要晚于申报截止日期")})
    last_day = (to_local(until) - datetime.timedelta(days=1)).date().isoformat()
    with db.atomic():
        extension = Extension.get_or_none(Extension.campaign == campaign, Extension.organization == organization)
        if extension is None:
            extension = Extension(campaign=campaign, organization=organization)
        extension.until, extension.granted_by, extension.granted_at = until, by, utcnow()
        extension.save()
        detail = f"organization={organization.id} {organization.name} until={last_day}"
        AuditLog.record(by, "campaign.extend", campaign, detail=detail)
    return extension


#: What the month's form sets directly.
MONTH_FIELDS = ("name", "theme", "description", "starts_at", "ends_at", "application_opens_at",
                "application_closes_at")


def check_month(data):
    """The month's days and its sign-up window in order, each message beside its field (a dict, empty when fine)."""
    errors = {}
    if data["ends_at"] <= data["starts_at"]:
        errors["ends_on"] = str(_l("最后一天不能早于第一天"))
    if data["application_closes_at"] <= data["application_opens_at"]:
        errors["signup_closes"] = str(_l("报名截止日期不能早于报名开始日期"))
    elif data["application_closes_at"] > data["ends_at"]:
        errors["signup_closes"] = str(_l("报名截止日期不能晚于伙伴月的最后一天"))
    return errors


def _save_month(campaign, by, data, cover, action):
    """Check the dates and the cover (decoded, re-encoded without EXIF) together, so every message shows at once."""
    errors, key = check_month(data), None
    if cover:
        try:
            key = store_photo(cover).key
        except UploadRefused as refused:
            errors["cover"] = refused.message
    if errors:
        if key:
            delete_stored(key)  # a month that is not saved keeps no file
        raise ValidationError(errors)
    old_key = campaign.cover_key
    with db.atomic():
        for name in MONTH_FIELDS:
            setattr(campaign, name, data[name])
        if key:
            campaign.cover_key = key
        campaign.updated_at = utcnow()
        campaign.save()
        AuditLog.record(by, action, campaign, detail="cover" if key else "")
    if key and old_key:
        delete_stored(old_key)
    return campaign


def create_month(district, by, data, cover=None):
    """The district admin sets up a partner month, as a draft; ``cover`` an uploaded image (a FileStorage) or None."""
    campaign = Campaign(district=district, kind="month", created_by=by, budget=0)
    require(by, "manage", campaign)
    return _save_month(campaign, by, data, cover, "campaign.create")


def update_month(campaign, by, data, cover=None):
    """Edit a partner month; a new cover replaces the old one, no cover keeps it."""
    require(by, "manage", campaign)
    return _save_month(campaign, by, data, cover, "campaign.edit")
