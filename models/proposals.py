"""Proposals (申报书) an admitted organization sends to a contest, the files attached to them, and the objections
(异议) raised against the results during 公示."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.campaigns import Campaign, Category
from models.orgs import Organization
from models.places import Street

#: draft → submitted; either → withdrawn. 资格审查: submitted → eligible | ineligible | returned (revised and
#: resubmitted: returned → submitted). An eligible proposal is reviewed; the funding decision is Proposal.decision.
PROPOSAL_STATUSES = ("draft", "submitted", "withdrawn", "eligible", "ineligible", "returned")
#: 立项 and 未立项.
DECISIONS = ("funded", "unfunded")


class Proposal(BaseModel):
    """One organization's proposal to one contest, saved section by section as it is written."""

    campaign = ForeignKeyField(Campaign, backref="proposals", on_delete="RESTRICT")
    organization = ForeignKeyField(Organization, backref="proposals", on_delete="RESTRICT")
    category = ForeignKeyField(Category, null=True, backref="proposals", on_delete="SET NULL")
    #: 项目名称
    title = CharField(max_length=80, default="")
    #: 服务领域: a key of SERVICE_FIELDS.
    service_field = CharField(max_length=20, default="")
    #: 服务对象
    beneficiaries = CharField(max_length=200, default="")
    #: 实施街镇
    street = ForeignKeyField(Street, null=True, backref="+", on_delete="SET NULL")
    #: 项目周期: first and last day.
    starts_on = DateField(null=True)
    ends_on = DateField(null=True)
    #: 直接受益人数
    beneficiary_count = IntegerField(null=True)
    #: 项目总预算 and 申请金额, whole yuan.
    total_budget = IntegerField(null=True)
    amount_requested = IntegerField(null=True)
    #: The budget table: one "item amount" line per item.
    budget_items = TextField(default="")
    #: 项目简介 (at most 500 characters), 需求分析, 实施计划, 预期成效, 执行团队.
    summary = TextField(default="")
    needs = TextField(default="")
    plan = TextField(default="")
    outcomes = TextField(default="")
    team = TextField(default="")
    #: One of PROPOSAL_STATUSES.
    status = CharField(max_length=20, default="draft", index=True)
    submitted_at = DateTimeField(null=True)
    #: 资格审查: the reason it is ineligible, or what to revise when returned (the organization reads it).
    check_note = TextField(default="")
    #: A returned proposal may be revised and resubmitted until then (naive UTC).
    revise_by = DateTimeField(null=True)
    checked_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    checked_at = DateTimeField(null=True)
    #: 评审结果, staged by the district admin until the campaign's results are published: funded (立项, with the
    #: amount granted, at most the amount requested) or unfunded (未立项). A published funded proposal is a project.
    decision = CharField(max_length=10, null=True)
    amount_granted = IntegerField(null=True)
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    @property
    def is_project(self):
        """立项 and published: the proposal is now the organization's funded project."""
        return self.decision == "funded" and self.campaign.results_published_at is not None

    def ordered_files(self):
        return self.files.order_by(ProposalFile.created_at, ProposalFile.id)

    def __str__(self):
        return self.title


class ProposalFile(BaseModel):
    """A file attached to a proposal, stored by core.uploads under a random key outside static/."""

    proposal = ForeignKeyField(Proposal, backref="files", on_delete="CASCADE")
    key = CharField(max_length=40, unique=True)
    kind = CharField(max_length=10)
    size = IntegerField()
    original_name = CharField(max_length=100)
    sha256 = CharField(max_length=64)
    uploaded_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class Objection(BaseModel):
    """An objection (异议) raised during 公示 through the results page; it reaches the district admin."""

    campaign = ForeignKeyField(Campaign, backref="objections", on_delete="CASCADE")
    #: The project objected to, if one was chosen.
    proposal = ForeignKeyField(Proposal, null=True, backref="objections", on_delete="SET NULL")
    name = CharField(max_length=40)
    phone = CharField(max_length=20)
    text = TextField()
    created_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)
    handled_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    #: What the district did about it (for the record).
    reply = TextField(default="")
