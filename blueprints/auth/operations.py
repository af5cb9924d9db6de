"""Accounts: sign-up, log-in, passwords, ending sessions."""
import functools
import secrets

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from core.errors import ValidationError
from core.policy import require
from models import AuditLog, User, db

#: Characters of a temporary password: digits and lower-case letters that cannot be mistaken for one another when
#: read aloud over the phone or copied from paper (no 0/o, 1/l/i).
TEMPORARY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
TEMPORARY_LENGTH = 8


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
    """The active user with this phone and password, or None.

    A phone without an account costs one password hash too, so the time taken does not tell whether it has one.
    """
    user = User.get_or_none(User.phone == phone)
    if user is None:
        check_password_hash(_stand_in_hash(current_app.config.get("PASSWORD_HASH_METHOD")), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@functools.cache
def _stand_in_hash(method):
    """A hash of a random password, made the way accounts' hashes are (one per method, made once)."""
    stand_in = User()
    stand_in.set_password(secrets.token_urlsafe(16), method)
    return stand_in.password_hash


def change_password(user, current, new):
    """A new password; it ends every session of the account (the caller signs this device in again)."""
    if not user.check_password(current):
        raise ValidationError({"current": _("当前密码不正确")})
    if user.must_change_password and new == current:
        raise ValidationError({"password": _("请设置一个和临时密码不同的新密码")})
    user.set_password(new)
    user.must_change_password = False
    with db.atomic():
        user.save()
        user.end_sessions()
        AuditLog.record(user, "user.password", user)


def end_sessions(user):
    """Log out everywhere: every session and remember-me cookie of the account stops working."""
    with db.atomic():
        user.end_sessions()
        AuditLog.record(user, "user.logout_everywhere", user)


def issue_temporary_password(account, by):
    """A one-time password for ``account``, to be told by phone: it must be changed at the next login, and every
    session of the account ends. Returns the password; only its hash is stored, and the audit log has neither."""
    require(by, "reset_password", account)
    password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))
    account.set_password(password)
    account.must_change_password = True
    with db.atomic():
        account.save(only=[User.password_hash, User.must_change_password])
        account.end_sessions()
        AuditLog.record(by, "user.temporary_password", account, street=by.street if by.is_moderator else None)
    return password
