"""Review (评审): which reviewers score which eligible proposals, and the conflicts (回避) reviewers declare."""
from peewee import CharField, DateTimeField, ForeignKeyField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.orgs import Organization
from models.proposals import Proposal


class Assignment(BaseModel):
    """One reviewer assigned by the district admin to score one eligible proposal."""

    proposal = ForeignKeyField(Proposal, backref="assignments", on_delete="CASCADE")
    reviewer = ForeignKeyField(User, backref="assignments", on_delete="CASCADE")
    assigned_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    assigned_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("proposal", "reviewer"), True),)


class Conflict(BaseModel):
    """回避: a reviewer declares a conflict of interest with an organization, and is never assigned its proposals."""

    reviewer = ForeignKeyField(User, backref="conflicts", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    note = CharField(max_length=200, default="")
    declared_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("reviewer", "organization"), True),)
