"""Accounts: sign-up, log-in, passwords."""
from flask_babel import gettext as _

from core.errors import ValidationError
from models import AuditLog, User, db


def signup(name, phone, password):
    """A new plain account; refuses a phone that already has one."""
    with db.atomic():
        if User.select().where(User.phone == phone).exists():
            raise ValidationError({"phone": _("这个手机号已经注册过，请直接登录")})
        user = User(name=name.strip(), phone=phone, role="member")
        user.set_password(password)
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
    user.set_password(new)
    with db.atomic():
        user.save()
        AuditLog.record(user, "user.password", user)
