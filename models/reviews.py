"""Review (评审): which reviewers score which eligible proposals, their scores, and the conflicts (回避) declared."""
from peewee import CharField, DateTimeField, DecimalField, ForeignKeyField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.campaigns import Criterion
from models.orgs import Organization
from models.proposals import Proposal


class Assignment(BaseModel):
    """One reviewer assigned by the district admin to score one eligible proposal: their review sheet.

    Not started (no Score, saved_at None) → saved (scores kept, not counted) → submitted (submitted_at set; counted in
    the ranking). A submitted sheet may still be changed until the review phase closes.
    """

    proposal = ForeignKeyField(Proposal, backref="assignments", on_delete="CASCADE")
    reviewer = ForeignKeyField(User, backref="assignments", on_delete="CASCADE")
    assigned_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    assigned_at = DateTimeField(default=utcnow)
    #: 总体评价: the reviewer's overall comment.
    comment = TextField(default="")
    saved_at = DateTimeField(null=True)
    submitted_at = DateTimeField(null=True)

    @property
    def submitted(self):
        return self.submitted_at is not None

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


class Score(BaseModel):
    """One reviewer's score on one criterion of the rubric (half points allowed), with a comment."""

    assignment = ForeignKeyField(Assignment, backref="scores", on_delete="CASCADE")
    criterion = ForeignKeyField(Criterion, backref="+", on_delete="CASCADE")
    score = DecimalField(max_digits=5, decimal_places=1, null=True)
    comment = TextField(default="")

    class Meta:
        indexes = ((("assignment", "criterion"), True),)
