"""资源对接, the partner in the partner month: needs and offers that organizations post, and the responses of
other organizations and partner accounts (companies, foundations)."""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from models.accounts import User
from models.base import BaseModel, utcnow
from models.campaigns import Campaign
from models.orgs import Organization
from models.places import Street

NEED_KINDS = ("need", "offer")
#: 志愿者, 场地, 物资, 专业服务, 资金.
NEED_CATEGORIES = ("volunteers", "venue", "goods", "expertise", "funding")
#: 待发布 → 已发布 (or 已退回, changed and sent again) → 已对接 matched / 已关闭 closed.
NEED_STATUSES = ("submitted", "published", "returned", "matched", "closed")


class Need(BaseModel):
    """A need (需求) or an offer (资源) an organization posts; its street's moderator publishes it."""

    campaign = ForeignKeyField(Campaign, null=True, backref="needs", on_delete="SET NULL")
    organization = ForeignKeyField(Organization, backref="needs", on_delete="CASCADE")
    #: One of NEED_KINDS and NEED_CATEGORIES.
    kind = CharField(max_length=10, default="need")
    category = CharField(max_length=20)
    title = CharField(max_length=80)
    description = TextField(default="")
    street = ForeignKeyField(Street, backref="+", on_delete="RESTRICT")
    #: The last day it stands (Shanghai).
    deadline = DateField()
    #: Shown only to the two sides of a response.
    contact_name = CharField(max_length=40)
    contact_phone = CharField(max_length=11)
    #: One of NEED_STATUSES.
    status = CharField(max_length=20, default="submitted", index=True)
    return_reason = TextField(default="")
    published_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    published_at = DateTimeField(null=True)
    created_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class Response(BaseModel):
    """An answer to a published need or offer, by a signed-in organization (through one of its admins) or a partner
    account; the poster marks it as a match (对接成功)."""

    need = ForeignKeyField(Need, backref="responses", on_delete="CASCADE")
    responder = ForeignKeyField(User, backref="+", on_delete="CASCADE")
    #: The organization responding, when an organization's admin responds for it.
    organization = ForeignKeyField(Organization, null=True, backref="+", on_delete="CASCADE")
    message = TextField()
    contact_name = CharField(max_length=40)
    contact_phone = CharField(max_length=11)
    created_at = DateTimeField(default=utcnow)
    matched_at = DateTimeField(null=True)
    matched_by = ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
