"""Tagging an event to a partner month (its organization's admins), with the audit log."""
from flask_babel import gettext as _

from blueprints.month.queries import is_confirmed, within
from core.errors import ValidationError
from core.policy import member
from core.validators import MAX_ID
from models import AuditLog, Campaign, EventStatus, db, utcnow


def check_tag(organization, campaign, starts_at, ends_at):
    """ValidationError (field ``campaign``) unless ``organization`` is confirmed for the month and the event falls
    within its dates."""
    if campaign is None or campaign.kind != "month" or not campaign.published:
        raise ValidationError({"campaign": _("请选择一个公益伙伴月")})
    if campaign.district_id != organization.street.district_id or not is_confirmed(organization, campaign):
        raise ValidationError({"campaign": _("本组织的伙伴月报名还没有被街镇确认，确认后才能标记活动")})
    if not within(campaign, starts_at, ends_at):
        raise ValidationError({"campaign": _("活动时间不在伙伴月期间，不能标记")})


def month_of(value):
    """The month campaign with id ``value`` (a string from a form), or None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        return None  # not an id a database could hold
    return Campaign.get_or_none(Campaign.id == int(value), Campaign.kind == "month")


def tag(event, campaign, by):
    """The organization's admin marks ``event`` as part of the month."""
    member(by, event.organization, admin=True)
    if event.status in (EventStatus.CANCELLED,):
        raise ValidationError({"campaign": _("已取消的活动不能标记")})
    check_tag(event.organization, campaign, event.starts_at, event.ends_at)
    with db.atomic():
        event.campaign = campaign
        event.updated_at = utcnow()
        event.save()
        AuditLog.record(by, "event.month_tag", event, street=event.street)
    return event


def untag(event, by):
    """The organization's admin takes ``event`` out of the month."""
    member(by, event.organization, admin=True)
    if event.campaign_id is None:
        return event
    with db.atomic():
        event.campaign = None
        event.updated_at = utcnow()
        event.save()
        AuditLog.record(by, "event.month_untag", event, street=event.street)
    return event
