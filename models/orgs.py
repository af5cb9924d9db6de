"""Organizations, their members and the invitations that bring volunteers in."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.accounts import User
from models.base import BaseModel, new_token, utcnow
from models.places import Street

ORG_KINDS = ("social_group", "social_service", "foundation", "community")
PARTY_ORGS = ("own_branch", "joint_branch", "instructor", "none")
SERVICE_FIELDS = (
    "elderly", "disability", "youth", "governance", "culture_sports",
    "environment", "legal_aid", "science", "party_building", "other",
)


class OrgStatus:
    """待审核 → 正常 (or 未通过); later 活动异常 (the anomaly list) and 已注销."""

    PENDING = "pending"
    ACTIVE = "active"
    FLAGGED = "flagged"
    CLOSED = "closed"
    DECLINED = "declined"
    #: Statuses in which the public may see the organization's page.
    PUBLIC = (ACTIVE, FLAGGED)


ORG_STATUSES = (OrgStatus.PENDING, OrgStatus.ACTIVE, OrgStatus.FLAGGED, OrgStatus.CLOSED, OrgStatus.DECLINED)
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
    #: 等级评估: 1A–5A, and the year it was awarded.
    grade = CharField(max_length=2, null=True)
    grade_year = IntegerField(null=True)
    #: 年报: the latest year whose annual report the street office has recorded as filed.
    annual_report_year = IntegerField(null=True)
    status = CharField(max_length=20, default=OrgStatus.PENDING, index=True)
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
