"""Organizations: registration, the street office's decision, direct addition."""
from flask_babel import gettext as _
from peewee import IntegrityError

from core.errors import PermissionDenied, ValidationError
from models import AuditLog, Membership, Organization, User, db, utcnow

FIELDS = ("name", "kind", "credit_code", "street", "party_org", "contact_name", "contact_phone")


def _new_organization(data, **extra):
    values = {name: data[name] for name in FIELDS}
    values["service_fields"] = ",".join(data.get("service_fields") or [])
    if values["credit_code"] and Organization.select().where(Organization.credit_code == values["credit_code"]).exists():
        raise ValidationError({"credit_code": _("这个统一社会信用代码已经登记过")})
    try:
        with db.atomic():
            return Organization.create(**values, **extra)
    except IntegrityError:  # the same code registered a moment ago
        raise ValidationError({"credit_code": _("这个统一社会信用代码已经登记过")}) from None


def register_organization(by, data):
    """A signed-up user registers an organization; it waits for its street office, with ``by`` as its admin."""
    with db.atomic():
        organization = _new_organization(data, status="pending", created_by=by)
        Membership.create(user=by, organization=organization, role="admin")
        AuditLog.record(by, "organization.register", organization, street=organization.street)
    return organization


def add_organization(by, data):
    """A street office adds an organization it already knows: active at once.

    If someone has an account with the contact phone, they become its admin.
    """
    with db.atomic():
        organization = _new_organization(data, status="active", created_by=by, reviewed_by=by, reviewed_at=utcnow())
        contact = User.get_or_none(User.phone == organization.contact_phone)
        if contact is not None:
            Membership.create(user=contact, organization=organization, role="admin")
        AuditLog.record(by, "organization.add", organization, street=organization.street)
    return organization


def admit(organization, by):
    """The street office admits a pending organization."""
    _decide(organization, by, "active", "organization.admit")


def decline(organization, by, reason):
    """The street office declines a pending organization, saying why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明理由，便于组织修改")})
    _decide(organization, by, "declined", "organization.decline", reason.strip())


def _decide(organization, by, status, action, reason=None):
    if organization.status != "pending":
        raise PermissionDenied(_("这个组织已经处理过了"))
    with db.atomic():
        organization.status = status
        organization.decline_reason = reason
        organization.reviewed_by = by
        organization.reviewed_at = utcnow()
        organization.save()
        AuditLog.record(by, action, organization, detail=reason or "", street=organization.street)
