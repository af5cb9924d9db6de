"""After an event: volunteers' service time (Shift) and the organization's report (活动报告) with its photos."""
from peewee import CharField, DateTimeField, DecimalField, ForeignKeyField, IntegerField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.campaigns import Campaign
from models.events import Event
from models.proposals import Proposal


class Shift(BaseModel):
    """A volunteer's sign-in and sign-out at an event; hours come from the rounding rule unless an org admin
    corrected them (with a reason, audit-logged)."""

    event = ForeignKeyField(Event, backref="shifts", on_delete="CASCADE")
    volunteer = ForeignKeyField(User, backref="shifts", on_delete="CASCADE")
    started_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
    #: An org admin's correction: the hours that count, and why.
    corrected_hours = DecimalField(max_digits=5, decimal_places=1, null=True)
    correction_reason = TextField(default="")
    corrected_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    corrected_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


#: 草稿 → 已提交 → 已通过, or 已退回 (corrected and submitted again).
REPORT_STATUSES = ("draft", "submitted", "returned", "accepted")


class Report(BaseModel):
    """The organization's report on one ended event, saved as it is written."""

    event = ForeignKeyField(Event, backref="reports", on_delete="CASCADE", unique=True)
    status = CharField(max_length=20, default="draft", index=True)
    #: Attendance when it differs from the check-ins (some could not check in), with the reason.
    attendance = IntegerField(null=True)
    attendance_reason = TextField(default="")
    beneficiaries = IntegerField(null=True)
    #: 活动成效, 问题与改进.
    outcomes = TextField(default="")
    problems = TextField(default="")
    campaign = ForeignKeyField(Campaign, null=True, backref="+", on_delete="SET NULL")
    project = ForeignKeyField(Proposal, null=True, backref="reports", on_delete="SET NULL")
    #: The street's comment when it returns the report.
    return_note = TextField(default="")
    submitted_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class ReportPhoto(BaseModel):
    """A photo of a report, stored by core.uploads.store_photo (JPEG ≤ 1600 px, no EXIF) under a random key."""

    report = ForeignKeyField(Report, backref="photos", on_delete="CASCADE")
    key = CharField(max_length=40, unique=True)
    size = IntegerField()
    width = IntegerField()
    height = IntegerField()
    uploaded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


#: 中期 and 结项: the two reports a funded contest project files on its own page.
PROJECT_REPORT_KINDS = ("midterm", "final")


class ProjectReport(BaseModel):
    """A funded project's mid-term or final report (中期 / 结项 报告), reviewed by the district admin.

    The same life as an event's report: 草稿 → 已提交 → 已通过, or 已退回 and submitted again.
    """

    project = ForeignKeyField(Proposal, backref="project_reports", on_delete="CASCADE")
    kind = CharField(max_length=10)
    status = CharField(max_length=20, default="draft", index=True)
    #: 项目进展与成效, 资金使用情况 (with the amount spent so far), 问题与下一步.
    progress = TextField(default="")
    spending = TextField(default="")
    spent = DecimalField(max_digits=12, decimal_places=2, null=True)
    beneficiaries = IntegerField(null=True)
    next_steps = TextField(default="")
    return_note = TextField(default="")
    submitted_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("project", "kind"), True),)
