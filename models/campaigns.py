"""Campaigns the district runs: the 公益创投 venture contest and, on the same model, the 公益伙伴月 partner month with
the organizations' sign-ups (MonthEntry)."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.orgs import Organization
from models.places import District

CAMPAIGN_KINDS = ("contest", "month")
#: How the reviewers' totals of one proposal combine: the mean, the median, or the mean without the highest and the
#: lowest (去掉一个最高分和一个最低分).
SCORING_RULES = ("mean", "median", "trimmed")
#: The phases of a contest, in order; Campaign.phase() says which one a moment falls in.
CAMPAIGN_PHASES = ("upcoming", "application", "eligibility", "review", "notice", "results")
#: The phases of a partner month; Campaign.month_phase() says which one a moment falls in.
MONTH_PHASES = ("upcoming", "signup", "running", "over")


class Campaign(BaseModel):
    """A contest: its phases (naive UTC, like Event), categories with their caps, budget and rubric.

    Each phase ends where the next begins: 申报 [application_opens_at, application_closes_at), 资格审查 until
    eligibility_ends_at, 专家评审 until notice_starts_at (the days after review_ends_at are for combining the scores),
    公示 [notice_starts_at, notice_ends_at), then results from results_at (公示期满 until then).

    A partner month (kind ``month``) uses application_opens_at / application_closes_at as its sign-up window and
    starts_at / ends_at as the month itself; the contest's later phase dates are None for it.
    """

    district = ForeignKeyField(District, backref="campaigns", on_delete="RESTRICT")
    #: contest (公益创投) or month (公益伙伴月).
    kind = CharField(max_length=10, default="contest")
    name = CharField(max_length=80)
    description = TextField(default="")
    application_opens_at = DateTimeField(index=True)
    #: Exclusive ends: the midnight (Shanghai) after the last day of the phase.
    application_closes_at = DateTimeField()
    eligibility_ends_at = DateTimeField(null=True)
    review_ends_at = DateTimeField(null=True)
    notice_starts_at = DateTimeField(null=True)
    notice_ends_at = DateTimeField(null=True)
    results_at = DateTimeField(null=True)
    #: The partner month: its theme, its first day's midnight and the midnight after its last day (naive UTC), and
    #: the uploaded cover image (a core.uploads key).
    theme = CharField(max_length=100, default="")
    starts_at = DateTimeField(null=True)
    ends_at = DateTimeField(null=True)
    cover_key = CharField(max_length=40, null=True)
    #: 资金池, whole yuan.
    budget = IntegerField(default=0)
    #: One of SCORING_RULES.
    scoring = CharField(max_length=10, default="trimmed")
    #: Reviewers do not see the applicant's name.
    blind_review = BooleanField(default=True)
    #: A reviewer sees the others' scores once they have submitted their own.
    show_others = BooleanField(default=False)
    max_proposals_per_org = IntegerField(default=1)
    #: The results (立项 list) are public from then on; until then the decisions are staged.
    results_published_at = DateTimeField(null=True)
    results_published_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    #: How to raise an objection during 公示: a phone, an address, an e-mail (shown on the results page).
    objection_contact = CharField(max_length=200, default="")
    #: A draft is seen only by its district's admin; publishing shows it to everyone.
    published = BooleanField(default=False, index=True)
    published_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def phase(self, now=None):
        """Which phase ``now`` (naive UTC, default: now) falls in: one of CAMPAIGN_PHASES."""
        now = now or utcnow()
        if now < self.application_opens_at:
            return "upcoming"
        if now < self.application_closes_at:
            return "application"
        if now < self.eligibility_ends_at:
            return "eligibility"
        if now < self.notice_starts_at:
            return "review"
        if now < self.results_at:
            return "notice"
        return "results"

    def month_phase(self, now=None):
        """Which phase of a partner month ``now`` (naive UTC, default: now) falls in: one of MONTH_PHASES.

        The sign-up window comes first when it overlaps the month (late sign-ups in its first days): ``signup``;
        otherwise ``upcoming`` before the month's first day, ``running`` during it, ``over`` after its last.
        """
        now = now or utcnow()
        if self.application_opens_at <= now < self.application_closes_at:
            return "signup"
        if self.starts_at is None or now < self.starts_at:
            return "upcoming"
        if self.ends_at is None or now < self.ends_at:
            return "running"
        return "over"

    @property
    def signup_open(self):
        """A published partner month taking sign-ups now."""
        return self.kind == "month" and self.published and self.month_phase() == "signup"

    @property
    def is_open(self):
        """A published contest taking applications now (a partner month's sign-up: ``signup_open``)."""
        return self.kind == "contest" and self.published and self.phase() == "application"

    @classmethod
    def public(cls):
        """Published campaigns, those taking applications first, then the most recent."""
        return cls.select().where(cls.published == True).order_by(cls.application_opens_at.desc())  # noqa: E712

    def deadline_for(self, organization):
        """When ``organization`` stops being able to write: application_closes_at, or its extension if later."""
        extension = Extension.get_or_none(Extension.campaign == self.id, Extension.organization == organization)
        if extension is not None and extension.until > self.application_closes_at:
            return extension.until
        return self.application_closes_at

    def ordered_extensions(self):
        return self.extensions.order_by(Extension.until, Extension.id)

    def ordered_categories(self):
        return self.categories.order_by(Category.position, Category.id)

    def ordered_criteria(self):
        return self.criteria.order_by(Criterion.position, Criterion.id)

    def __str__(self):
        return self.name


class Category(BaseModel):
    """A category of proposals (民生服务类…) with the largest grant one proposal in it may ask for."""

    campaign = ForeignKeyField(Campaign, backref="categories", on_delete="CASCADE")
    name = CharField(max_length=40)
    #: Whole yuan.
    max_grant = IntegerField()
    position = IntegerField(default=0)


class Criterion(BaseModel):
    """One line of the rubric: scored from min_score to max_score, where max_score is the weight, so that the
    criteria's scores add up to a total out of 100."""

    campaign = ForeignKeyField(Campaign, backref="criteria", on_delete="CASCADE")
    name = CharField(max_length=40)
    weight = IntegerField()
    min_score = IntegerField(default=0)
    max_score = IntegerField()
    #: One line telling the reviewer what a high score means.
    guide = CharField(max_length=200, default="")
    position = IntegerField(default=0)


class Extension(BaseModel):
    """延期申报: the district admin lets one organization keep writing after the deadline, until ``until``.

    ``until`` is naive UTC and exclusive, like the campaign's dates: the midnight (Shanghai) after the chosen day.
    One per campaign and organization; granting again moves the date.
    """

    campaign = ForeignKeyField(Campaign, backref="extensions", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="+", on_delete="CASCADE")
    until = DateTimeField()
    granted_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    granted_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("campaign", "organization"), True),)



#: 待确认 → 已确认, or 需修改 (the organization changes it and it waits again); the organization may withdraw.
ENTRY_STATUSES = ("pending", "confirmed", "returned", "withdrawn")


class MonthEntry(BaseModel):
    """An organization's sign-up (报名) for a partner month, confirmed by the moderator of its street."""

    campaign = ForeignKeyField(Campaign, backref="entries", on_delete="CASCADE")
    organization = ForeignKeyField(Organization, backref="month_entries", on_delete="CASCADE")
    #: The theme of its activities in the month, and how many it plans.
    theme = CharField(max_length=100)
    planned_events = IntegerField()
    contact_name = CharField(max_length=40)
    contact_phone = CharField(max_length=11)
    #: One of ENTRY_STATUSES.
    status = CharField(max_length=20, default="pending", index=True)
    #: What the street asks to change (when returned).
    note = TextField(default="")
    decided_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("campaign", "organization"), True),)
