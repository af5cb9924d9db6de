"""Accounts: people who log in, and the audit log of what they did."""
import secrets

from flask import current_app, has_app_context
from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, utcnow
from models.places import District, Street


def new_session_token():
    """A random token that names every session of one account."""
    return secrets.token_urlsafe(32)


class User(UserMixin, BaseModel):
    name = CharField(max_length=40)
    phone = CharField(max_length=11, unique=True)
    password_hash = CharField(max_length=255)
    #: member (a plain resident or organization member), district_admin, street_moderator, reviewer or partner (a
    #: company or foundation taking part in the partner month).
    role = CharField(max_length=20, default="member", index=True)
    #: A partner account's company or foundation (一家企业、基金会…).
    affiliation = CharField(max_length=100, default="")
    #: The street a moderator watches over.
    street = ForeignKeyField(Street, null=True, backref="moderators", on_delete="RESTRICT")
    #: The district a district admin runs, or the one a reviewer or partner serves (its admin manages the account).
    district = ForeignKeyField(District, null=True, backref="staff", on_delete="RESTRICT")
    active = BooleanField(default=True)
    #: What the session and remember-me cookies carry instead of the id: a new token ends every session at once
    #: (log out everywhere, a new password, a stopped account), cookies copied earlier included.
    session_token = CharField(max_length=64, unique=True, default=new_session_token)
    #: Set when staff issue a temporary password: the account must choose its own before any other page opens.
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    def set_password(self, password, method=None):
        """Hash with ``method``, else the app's PASSWORD_HASH_METHOD (tests pick a cheap one),
        else werkzeug's default."""
        method = method or (current_app.config.get("PASSWORD_HASH_METHOD") if has_app_context() else None)
        kwargs = {"method": method} if method else {}
        self.password_hash = generate_password_hash(password, **kwargs)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def get_id(self):
        """What Flask-Login keeps in the session and the remember-me cookie."""
        return self.session_token

    def end_sessions(self):
        """A new session token: every session and remember-me cookie of this account stops working."""
        self.session_token = new_session_token()
        self.save(only=[User.session_token])

    @property
    def is_active(self):
        return self.active

    @property
    def is_district_admin(self):
        return self.role == "district_admin"

    @property
    def is_moderator(self):
        return self.role == "street_moderator"

    def __str__(self):
        return self.name


class AuditLog(BaseModel):
    """Who did what to which object, and when."""

    actor = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    action = CharField(max_length=50, index=True)
    #: The kind of object acted on ("organization", "user", …) and its id.
    target_type = CharField(max_length=30)
    target_id = IntegerField(null=True)
    street = ForeignKeyField(Street, null=True, backref="+", on_delete="SET NULL")
    detail = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)

    @classmethod
    def record(cls, actor, action, target, detail="", street=None):
        return cls.create(
            actor=actor,
            action=action,
            target_type=type(target).__name__.lower(),
            target_id=target.id,
            street=street,
            detail=detail,
        )
