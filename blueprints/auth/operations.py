"""Accounts: sign-up, passwords, staff accounts, volunteer invitations."""
import datetime

from flask import current_app
from flask_babel import gettext as _

from core.errors import ValidationError
from models import AuditLog, Invite, Membership, User, db, utcnow


def _hash_method():
    return current_app.config.get("PASSWORD_HASH_METHOD")


def signup(name, phone, password):
    """A new plain account; refuses a phone that already has one."""
    with db.atomic():
        if User.select().where(User.phone == phone).exists():
            raise ValidationError({"phone": _("这个手机号已经注册过，请直接登录")})
        user = User(name=name.strip(), phone=phone, role="member")
        user.set_password(password, _hash_method())
        user.save()
        AuditLog.record(user, "user.signup", user)
    return user


def authenticate(phone, password):
    """The active user with this phone and password, or None."""
    user = User.get_or_none(User.phone == phone)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def change_password(user, current, new):
    if not user.check_password(current):
        raise ValidationError({"current": _("当前密码不正确")})
    user.set_password(new, _hash_method())
    with db.atomic():
        user.save()
        AuditLog.record(user, "user.password", user)


def create_staff(by, role, name, phone, password, street=None):
    """A district admin creates a street moderator (bound to one street of the district) or a reviewer."""
    if role not in ("street_moderator", "reviewer"):
        raise ValidationError({"role": _("请选择角色")})
    if role == "street_moderator" and (street is None or street.district_id != by.district_id):
        raise ValidationError({"street": _("街镇管理员必须选择所属街镇")})
    with db.atomic():
        if User.select().where(User.phone == phone).exists():
            raise ValidationError({"phone": _("这个手机号已有账号")})
        user = User(name=name.strip(), phone=phone, role=role, street=street if role == "street_moderator" else None)
        user.set_password(password, _hash_method())
        user.save()
        AuditLog.record(by, "user.create_staff", user, detail=role, street=user.street)
    return user


def set_active(user, by, active):
    """The district admin stops (or restores) a staff account; a stopped account cannot log in."""
    if user.id == by.id:
        raise ValidationError(_("不能停用自己的账号"))
    with db.atomic():
        user.active = active
        user.save()
        AuditLog.record(by, "user.activate" if active else "user.deactivate", user, street=user.street)


def create_invite(organization, by, days=None):
    """A link that lets a volunteer join ``organization`` until it expires."""
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
