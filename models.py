"""The peewee models of 宁社通.

The schema itself comes only from ``migrations/``; these classes describe it
for queries, and ``tests/test_migrations.py`` proves the two agree.
"""
import datetime
import secrets

from flask_login import UserMixin
from peewee import (
    BooleanField,
    SqliteDatabase,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)
from werkzeug.security import check_password_hash, generate_password_hash

db = DatabaseProxy()


def utcnow():
    """Naive UTC, the form every timestamp is stored in."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class District(BaseModel):
    name = CharField(max_length=40)
    #: Statistical division code, six digits (长宁区 = 310105).
    code = CharField(max_length=6, unique=True)

    def __str__(self):
        return self.name


class Street(BaseModel):
    district = ForeignKeyField(District, backref="streets", on_delete="RESTRICT")
    name = CharField(max_length=40)
    #: Short ASCII name used in URLs: /streets/xinhua/.
    slug = CharField(max_length=32, unique=True)
    #: Statistical division code, nine digits (310105004 新华路街道).
    code = CharField(max_length=9, unique=True)

    class Meta:
        order_by = ("code",)

    def __str__(self):
        return self.name


ROLES = ("member", "district_admin", "street_moderator", "reviewer")


class User(UserMixin, BaseModel):
    name = CharField(max_length=40)
    phone = CharField(max_length=11, unique=True)
    password_hash = CharField(max_length=255)
    #: member (a plain resident or organization member), district_admin,
    #: street_moderator or reviewer.
    role = CharField(max_length=20, default="member", index=True)
    #: The street a moderator watches over.
    street = ForeignKeyField(Street, null=True, backref="moderators", on_delete="RESTRICT")
    #: The district a district admin runs.
    district = ForeignKeyField(District, null=True, backref="admins", on_delete="RESTRICT")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def set_password(self, password, method=None):
        kwargs = {"method": method} if method else {}
        self.password_hash = generate_password_hash(password, **kwargs)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

    @property
    def is_district_admin(self):
        return self.role == "district_admin"

    @property
    def is_moderator(self):
        return self.role == "street_moderator"

    @property
    def is_reviewer(self):
        return self.role == "reviewer"

    def __str__(self):
        return self.name


ORG_KINDS = ("social_group", "social_service", "foundation", "community")
PARTY_ORGS = ("own_branch", "joint_branch", "instructor", "none")
SERVICE_FIELDS = (
    "elderly", "disability", "youth", "governance", "culture_sports",
    "environment", "legal_aid", "science", "party_building", "other",
)
ORG_STATUSES = ("pending", "active", "flagged", "closed", "declined")
GRADES = ("1A", "2A", "3A", "4A", "5A")


class Organization(BaseModel):
    name = CharField(max_length=100)
    kind = CharField(max_length=20)
    #: 统一社会信用代码; none for community groups only filed (备案) with their street.
    credit_code = CharField(max_length=18, null=True, unique=True)
    street = ForeignKeyField(Street, backref="organizations", on_delete="RESTRICT")
    #: Comma-separated keys from SERVICE_FIELDS.
    service_fields = CharField(max_length=200, default="")
    party_org = CharField(max_length=20, default="none")
    contact_name = CharField(max_length=40)
    contact_phone = CharField(max_length=11)
    grade = CharField(max_length=2, null=True)
    status = CharField(max_length=20, default="pending", index=True)
    #: Why the street office declined the registration, shown to its admins.
    decline_reason = TextField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    reviewed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    reviewed_at = DateTimeField(null=True)

    @property
    def field_list(self):
        return [f for f in self.service_fields.split(",") if f]

    def __str__(self):
        return self.name


class Membership(BaseModel):
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="memberships", on_delete="CASCADE")
    #: admin or volunteer.
    role = CharField(max_length=20, default="volunteer")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "organization"), True),)


def new_token():
    return secrets.token_urlsafe(24)


class Invite(BaseModel):
    """A link an org admin shares so that a volunteer can join the organization."""

    organization = ForeignKeyField(Organization, backref="invites", on_delete="CASCADE")
    token = CharField(max_length=64, unique=True, default=new_token)
    created_by = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()

    @property
    def expired(self):
        return self.expires_at <= utcnow()


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


EVENT_STATUSES = ("draft", "submitted", "published", "returned", "ended", "reported", "cancelled")


class Event(BaseModel):
    organization = ForeignKeyField(Organization, backref="events", on_delete="RESTRICT")
    title = CharField(max_length=80)
    description = TextField(default="")
    #: One of SERVICE_FIELDS.
    category = CharField(max_length=20, index=True)
    #: Start and end, naive UTC (shown in Asia/Shanghai).
    starts_at = DateTimeField(index=True)
    ends_at = DateTimeField()
    venue = CharField(max_length=200)
    #: The street of the venue, whose office approves the event (defaults to the organization's).
    street = ForeignKeyField(Street, backref="events", on_delete="RESTRICT")
    capacity = IntegerField(null=True)
    #: Residents may sign up (报名) beforehand.
    signup_enabled = BooleanField(default=False)
    #: Check-in opens this many minutes before the start and closes at the end.
    checkin_lead_minutes = IntegerField(default=30)
    #: static (a printed code) or rotating (a code on a screen that refreshes itself).
    checkin_mode = CharField(max_length=10, default="static")
    checkin_token = CharField(max_length=64, unique=True, default=new_token)
    status = CharField(max_length=20, default="draft", index=True)
    #: The street office's reason for returning the event; the organization's reason for cancelling it.
    return_reason = TextField(null=True)
    cancel_reason = TextField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    published_at = DateTimeField(null=True)
    published_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    @property
    def current_status(self):
        """The status as residents see it: a published event whose end has passed has ended."""
        if self.status == "published" and self.ends_at <= utcnow():
            return "ended"
        return self.status

    @property
    def checkin_opens_at(self):
        return self.starts_at - datetime.timedelta(minutes=self.checkin_lead_minutes)

    def __str__(self):
        return self.title


class Signup(BaseModel):
    """A resident's sign-up (报名) for an event: confirmed while places last, then on the waiting list."""

    event = ForeignKeyField(Event, backref="signups", on_delete="CASCADE")
    name = CharField(max_length=40, null=True)
    #: Kept whole so the organization can call back; shown masked in every list. Emptied by the purge.
    phone = CharField(max_length=11, null=True)
    #: confirmed, waitlist or cancelled.
    status = CharField(max_length=12, default="confirmed", index=True)
    #: Lets the resident come back to their sign-up (and cancel it) without an account.
    token = CharField(max_length=64, unique=True, default=new_token)
    consent_at = DateTimeField(default=utcnow)
    created_at = DateTimeField(default=utcnow)
    cancelled_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("event", "phone"), True),)


class CheckIn(BaseModel):
    """A resident's presence at an event: by scanning its QR code, or recorded by a volunteer."""

    event = ForeignKeyField(Event, backref="checkins", on_delete="CASCADE")
    #: The resident's name and phone (a guardian's for a child under 14). Emptied by the purge.
    name = CharField(max_length=40, null=True)
    phone = CharField(max_length=11, null=True)
    #: The name and phone belong to the guardian of a child under 14.
    minor = BooleanField(default=False)
    #: qr (the resident scanned) or manual (a volunteer recorded it).
    method = CharField(max_length=10, default="qr")
    recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    #: Place in the queue of the event's check-ins: 第 N 位.
    number = IntegerField()
    #: The form's one-time key: a retried submission finds the check-in it already made.
    idempotency_key = CharField(max_length=64, null=True, unique=True)
    #: A random id of the resident's browser, for limits per device and bursts from one device.
    device = CharField(max_length=64, null=True, index=True)
    consent_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow, index=True)
    #: A wrong check-in undone by a volunteer, with the reason; it no longer counts.
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    undo_reason = TextField(null=True)
    #: When the purge or the resident removed the name and phone.
    erased_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("event", "phone"), True),)


def serialising_transaction():
    """A transaction in which read-then-write is safe from concurrent writers.

    SQLite: BEGIN IMMEDIATE takes the write lock up front. PostgreSQL: callers lock rows with FOR UPDATE.
    """
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


def for_update(query):
    """SELECT … FOR UPDATE where the database has it (SQLite serialises whole transactions instead)."""
    return query if isinstance(db.obj, SqliteDatabase) else query.for_update()


MODELS = [District, Street, User, Organization, Membership, Invite, AuditLog, Event, Signup, CheckIn]
