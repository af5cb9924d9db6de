"""Events, residents' sign-ups (报名) and check-ins (签到)."""
import datetime

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import User
from models.base import BaseModel, new_token, utcnow
from models.campaigns import Campaign
from models.orgs import Organization
from models.places import Street
from models.proposals import Proposal


class EventStatus:
    """草稿 → 待审核 → 已发布 or 已退回 → 已结束 → 已报告; 已取消 before the end."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    RETURNED = "returned"
    ENDED = "ended"
    REPORTED = "reported"
    CANCELLED = "cancelled"
    #: Statuses in which residents may see an event (a cancelled one only if it had been published).
    PUBLIC = (PUBLISHED, ENDED, REPORTED, CANCELLED)


EVENT_STATUSES = (
    EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.PUBLISHED, EventStatus.RETURNED,
    EventStatus.ENDED, EventStatus.REPORTED, EventStatus.CANCELLED,
)


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
    status = CharField(max_length=20, default=EventStatus.DRAFT, index=True)
    #: The street office's reason for returning the event; the organization's reason for cancelling it.
    return_reason = TextField(null=True)
    cancel_reason = TextField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    published_at = DateTimeField(null=True)
    published_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    #: The funded contest project (a published 立项 proposal of the same organization) this event belongs to.
    project = ForeignKeyField(Proposal, null=True, backref="events", on_delete="SET NULL")
    #: The partner month (a campaign of kind month) the organization tagged the event to.
    campaign = ForeignKeyField(Campaign, null=True, backref="events", on_delete="SET NULL")

    class Meta:
        #: A street's held events of a period, counted from the index alone (the consoles; migration 0019); the public
        #: list in start order, an organization's events newest first (pages a page at a time; migration 0021).
        indexes = (
            (("street", "status", "starts_at"), False), (("street", "status", "ends_at"), False),
            (("status", "starts_at"), False), (("organization", "starts_at"), False),
        )

    @classmethod
    def with_places(cls):
        """Events with the organization and the street their pages name, in one query."""
        return (
            cls.select(cls, Organization, Street)
            .join(Organization)
            .switch(cls)
            .join(Street, on=(cls.street == Street.id))
        )

    @classmethod
    def upcoming(cls):
        """Published events that have not ended, soonest first."""
        return (
            cls.with_places()
            .where(cls.status == EventStatus.PUBLISHED, cls.ends_at > utcnow())
            .order_by(cls.starts_at, cls.id)
        )

    @property
    def current_status(self):
        """The status as residents see it: a published event whose end has passed has ended."""
        if self.status == EventStatus.PUBLISHED and self.ends_at <= utcnow():
            return EventStatus.ENDED
        return self.status

    @property
    def is_public(self):
        """Residents may see it: published (or after), or cancelled after it had been published."""
        return self.status in EventStatus.PUBLIC and (self.status != EventStatus.CANCELLED or bool(self.published_at))

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
    #: When a cancellation moved this sign-up up from the waiting list; its page and /me/ say so.
    promoted_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("event", "phone"), True),)


class CheckInCounter(BaseModel):
    """The highest check-in number an event has handed out, as PostgreSQL's numbered insert and a volunteer's
    check-in raise it: the counter's row lock queues the event's crowd. SQLite's write lock queues a resident's insert,
    which takes the next number from check_in (event_id, number). A number is never below one already there.

    A table of its own, not a column of the event (migration 0023): PostgreSQL opens and locks every index of a
    table it writes, and the event has fifteen; this row has one. An event's row is made by its first numbered
    check-in.
    """

    event = ForeignKeyField(Event, primary_key=True, backref="+", on_delete="CASCADE")
    last = IntegerField()


class CheckIn(BaseModel):
    """A resident's presence at an event: by scanning its QR code, or recorded by a volunteer.

    Every index here is written by every check-in a crowd makes at once, so each is one a query reads (migration 0022):
    the event's own is the first column of (event, phone), and the two volunteers' columns, empty on a resident's own
    check-in, are indexed only where set.
    """

    event = ForeignKeyField(Event, backref="checkins", on_delete="CASCADE", index=False)
    #: The resident's name and phone (a guardian's for a child under 14). Emptied by the purge.
    name = CharField(max_length=40, null=True)
    phone = CharField(max_length=11, null=True)
    #: The name and phone belong to the guardian of a child under 14.
    minor = BooleanField(default=False)
    #: qr (the resident scanned) or manual (a volunteer recorded it).
    method = CharField(max_length=10, default="qr")
    recorded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    #: Place in the queue of the event's check-ins: 第 N 位.
    number = IntegerField()
    #: The form's one-time key: a retried submission finds the check-in it already made.
    idempotency_key = CharField(max_length=64, null=True, unique=True)
    #: The resident's browser: a keyed hash of its random device cookie (never the cookie itself, so a stored value
    #: cannot be replayed). /me/ lists a device's own check-ins by it; bursts from one device show in it.
    device = CharField(max_length=64, null=True, index=True)
    #: A keyed hash of the address the check-in came from (an IPv6 client's /64), so that bursts from one network
    #: can be found later (an event's bursts read its check-ins by the event). Emptied by the purge, with the device.
    address = CharField(max_length=32, null=True)
    consent_at = DateTimeField(null=True)
    #: Indexed with the event and undone_at (Meta), so that a period's check-ins are counted from the index.
    created_at = DateTimeField(default=utcnow)
    #: A wrong check-in undone by a volunteer, with the reason; it no longer counts.
    undone_at = DateTimeField(null=True)
    undone_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL", index=False)
    undo_reason = TextField(null=True)
    #: When the purge or the resident removed the name and phone.
    erased_at = DateTimeField(null=True)

    class Meta:
        #: Check-ins counted per event, or per period, from the index alone (migration 0019).
        indexes = (
            (("event", "phone"), True),
            (("event", "created_at", "undone_at"), False),
            (("created_at", "event", "undone_at"), False),
            (("phone",), False),  # a phone's check-ins at other events (signals: overlapping check-ins)
            (("event", "number"), False),  # the roster newest first, a page at a time (migration 0021)
        )


# ON DELETE SET NULL of an account looks only for the check-ins it recorded or undid: indexed only where set.
CheckIn.add_index(CheckIn.index(
    CheckIn.recorded_by, where=CheckIn.recorded_by.is_null(False), name="check_in_recorded_by_id_set"
))
CheckIn.add_index(CheckIn.index(
    CheckIn.undone_by, where=CheckIn.undone_by.is_null(False), name="check_in_undone_by_id_set"
))
