"""Organizations: registration, the street office's decision, direct addition, volunteer invitations."""
import datetime

from flask import current_app
from flask_babel import gettext as _
from peewee import IntegrityError

from blueprints.orgs.policy import LIFECYCLE, SETTABLE_STATUSES
from core.errors import LifecycleError, ValidationError
from core.policy import require, watcher
from core.templating import label
from models import GRADES, AuditLog, Invite, Membership, Organization, OrgNote, OrgStatus, User, db, utcnow

FIELDS = ("name", "kind", "credit_code", "street", "party_org", "contact_name", "contact_phone")


def _new_organization(data, **extra):
    values = {name: data[name] for name in FIELDS}
    values["service_fields"] = ",".join(data.get("service_fields") or [])
    if (
        values["credit_code"]
        and Organization.select().where(Organization.credit_code == values["credit_code"]).exists()
    ):
        raise ValidationError({"credit_code": _("这个统一社会信用代码已经登记过")})
    try:
        with db.atomic():
            return Organization.create(**values, **extra)
    except IntegrityError:  # the same code registered a moment ago
        raise ValidationError({"credit_code": _("这个统一社会信用代码已经登记过")}) from None


def register_organization(by, data):
    """A signed-up user registers an organization; it waits for its street office, with ``by`` as its admin."""
    with db.atomic():
        organization = _new_organization(data, status=OrgStatus.PENDING, created_by=by)
        Membership.create(user=by, organization=organization, role="admin")
        AuditLog.record(by, "organization.register", organization, street=organization.street)
    return organization


def add_organization(by, data):
    """A street office adds an organization it already knows: active at once.

    If someone has an account with the contact phone, they become its admin.
    """
    watcher(by, data["street"])
    with db.atomic():
        organization = _new_organization(
            data, status=OrgStatus.ACTIVE, created_by=by, reviewed_by=by, reviewed_at=utcnow()
        )
        contact = User.get_or_none(User.phone == organization.contact_phone)
        if contact is not None:
            Membership.create(user=contact, organization=organization, role="admin")
        AuditLog.record(by, "organization.add", organization, street=organization.street)
    return organization


def admit(organization, by):
    """The street office admits a pending organization."""
    require(by, "admit", organization)
    return LIFECYCLE.apply(
        organization, "admit", by, street=organization.street, reviewed_by=by, reviewed_at=utcnow(), decline_reason=None
    )


def decline(organization, by, reason):
    """The street office declines a pending organization, saying why."""
    require(by, "decline", organization)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明理由，便于组织修改")})
    reason = reason.strip()
    return LIFECYCLE.apply(
        organization, "decline", by, detail=reason, street=organization.street,
        reviewed_by=by, reviewed_at=utcnow(), decline_reason=reason,
    )


def create_invite(organization, by, days=None):
    """A link that lets a volunteer join ``organization`` until it expires."""
    require(by, "invite", organization)
    days = days or current_app.config["INVITE_DAYS"]
    with db.atomic():
        invite = Invite.create(
            organization=organization, created_by=by, expires_at=utcnow() + datetime.timedelta(days=days)
        )
        AuditLog.record(by, "invite.create", organization, street=organization.street)
    return invite


def accept_invite(invite, user):
    """Make ``user`` a volunteer of the invite's organization (an existing membership is kept as it is)."""
    if invite.expired:
        raise ValidationError(_("这个邀请链接已过期，请向组织管理员要一个新的"))
    with db.atomic():
        membership, created = Membership.get_or_create(
            user=user, organization=invite.organization, defaults={"role": "volunteer"}
        )
        if created:
            AuditLog.record(user, "membership.join", invite.organization, street=invite.organization.street)
    return membership


def _note_text(note, field="note"):
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: _("请写明说明")})
    return note


def _record(organization, by, kind, change, text):
    """The timeline's entry and the audit log's row for one change made to ``organization``."""
    OrgNote.create(organization=organization, author=by, kind=kind, change=change, text=text)
    detail = f"{change}：{text}" if change else text
    AuditLog.record(by, f"organization.{kind}", organization, detail=detail, street=organization.street)


def set_status(organization, by, status, note):
    """The street office sets an admitted organization's status (正常, 活动异常, 已注销), saying why."""
    require(by, "set_status", organization)
    if status not in SETTABLE_STATUSES:
        raise ValidationError({"status": _("请选择状态")})
    note = _note_text(note)
    if status == organization.status:
        raise ValidationError({"status": _("状态没有变化")})
    change = f"{label(organization.status, 'org_status')} → {label(status, 'org_status')}"
    with db.atomic():
        moved = (
            Organization.update(status=status)
            .where(Organization.id == organization.id, Organization.status == organization.status)
            .execute()
        )
        if not moved:  # someone changed it a moment ago
            raise LifecycleError(_("这个组织的状态刚刚被其他人修改，请刷新后再试"))
        _record(organization, by, "status", change, note)
    organization.status = status
    return organization


def _grade_words(grade, year):
    return _("%(year)s 年 %(grade)s", year=year, grade=grade) if grade else _("无等级")


def set_grade(organization, by, grade, year, note):
    """The street office records the organization's evaluation grade (1A–5A, with the year) or none."""
    require(by, "oversee", organization)
    grade = grade or None
    if grade is not None and grade not in GRADES:
        raise ValidationError({"grade": _("请选择等级")})
    if grade is not None and not year:
        raise ValidationError({"year": _("请填写评估年份")})
    year = year if grade is not None else None
    note = _note_text(note)
    if (grade, year) == (organization.grade, organization.grade_year):
        raise ValidationError({"grade": _("等级没有变化")})
    change = f"{_grade_words(organization.grade, organization.grade_year)} → {_grade_words(grade, year)}"
    with db.atomic():
        Organization.update(grade=grade, grade_year=year).where(Organization.id == organization.id).execute()
        _record(organization, by, "grade", change, note)
    organization.grade, organization.grade_year = grade, year
    return organization


def record_annual_report(organization, by, year, filed, note):
    """The street office records whether the organization's 年报 for ``year`` is filed.

    The organization keeps the latest year filed: filing an older year leaves it; "not filed" for a year it had
    counted as filed moves it back to the year before.
    """
    require(by, "oversee", organization)
    if not year:
        raise ValidationError({"year": _("请填写年度")})
    note = _note_text(note)
    latest = organization.annual_report_year
    if filed:
        new = max(latest or 0, year)
        change = _("%(year)s 年度年报：已报送", year=year)
    else:
        new = year - 1 if latest is not None and latest >= year else latest
        change = _("%(year)s 年度年报：未报送", year=year)
    with db.atomic():
        Organization.update(annual_report_year=new).where(Organization.id == organization.id).execute()
        _record(organization, by, "annual_report", change, note)
    organization.annual_report_year = new
    return organization


def add_note(organization, by, text):
    """A remark on the organization's timeline, for the street office's own record."""
    require(by, "oversee", organization)
    text = _note_text(text, "text")
    with db.atomic():
        _record(organization, by, "note", "", text)
    return organization
