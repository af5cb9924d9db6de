"""What street and district staff keep about organizations: notes on the timeline, and risk signals."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.events import Event
from models.orgs import Organization
from models.places import Street

#: note (a moderator's remark), status (正常 / 活动异常 / 已注销), grade (等级评估), annual_report (年报).
NOTE_KINDS = ("note", "status", "grade", "annual_report")


class OrgNote(BaseModel):
    """An entry a moderator adds to an organization's timeline: a remark, or a change they made with its note."""

    organization = ForeignKeyField(Organization, backref="notes", on_delete="CASCADE")
    author = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    kind = CharField(max_length=20, default="note")
    #: What changed, in words ("正常 → 活动异常"); empty for a remark.
    change = CharField(max_length=200, default="")
    text = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)


#: 疑似僵尸, 报告逾期, 零签到, 签到异常, 频繁取消, 年报未交.
SIGNAL_KINDS = ("zombie", "report_overdue", "zero_checkin", "checkin_anomaly", "cancellations", "annual_report")
#: open: to look at; closed: looked at (stays closed while its data is the same); cleared: the condition is gone.
SIGNAL_STATUSES = ("open", "closed", "cleared")


class Signal(BaseModel):
    """A risk signal about an organization (or one of its events), with its reason and the data behind it.

    One row per kind and subject; recomputing updates it. ``fingerprint`` summarises the data that raised it: a
    signal closed as looked at stays closed until the fingerprint changes (new data), then opens again.
    """

    kind = CharField(max_length=20)
    organization = ForeignKeyField(Organization, backref="signals", on_delete="CASCADE")
    #: The street whose staff watch it (the organization's, or the event's venue's).
    street = ForeignKeyField(Street, backref="+", on_delete="CASCADE")
    event = ForeignKeyField(Event, null=True, backref="+", on_delete="CASCADE")
    #: What it is about within the organization: "org", "event:12", "device:…".
    subject = CharField(max_length=80)
    reason = TextField(default="")
    #: JSON: the numbers and rows behind the reason.
    data = TextField(default="{}")
    fingerprint = CharField(max_length=64)
    status = CharField(max_length=10, default="open")
    raised_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    closed_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    closed_at = DateTimeField(null=True)
    #: The fingerprint when it was closed: the signal opens again when the data moves past it.
    closed_fingerprint = CharField(max_length=64, default="")
    note = TextField(default="")

    class Meta:
        indexes = (
            (("kind", "organization", "subject"), True),
            (("street", "status", "kind"), False),
        )
