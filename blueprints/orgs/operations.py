"""Organizations: registration, the street office's decision, direct addition, volunteer invitations."""
import datetime

from flask import current_app
from flask_babel import gettext as _
from peewee import IntegrityError

from blueprints.orgs.policy import LIFECYCLE
from core.errors import ValidationError
from core.policy import require, watcher
from models import AuditLog, Invite, Membership, Organization, OrgStatus, User, db, utcnow

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
