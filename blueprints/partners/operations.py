"""The writes of 资源对接: post and change a need, its street publishes or returns it, a response, a match."""
from flask_babel import gettext as _

from blueprints.partners.policy import LIFECYCLE
from core.errors import LifecycleError, ValidationError
from core.policy import require
from core.timeutil import local_now
from models import NEED_CATEGORIES, NEED_KINDS, AuditLog, Need, Response, Street, db, utcnow

#: The fields of the need form an operation stores.
FIELDS = ("kind", "category", "title", "description", "street", "deadline", "contact_name", "contact_phone")


def checked(data, district_id):
    """The need's fields from ``data``, or ValidationError with a message beside each field that is wrong."""
    errors = {}
    if data.get("kind") not in NEED_KINDS:
        errors["kind"] = _("请选择需求或资源")
    if data.get("category") not in NEED_CATEGORIES:
        errors["category"] = _("请选择类别")
    street = data.get("street")
    if not isinstance(street, Street) or street.district_id != district_id:
        errors["street"] = _("请选择本区的街镇")
    if data.get("deadline") is None or data["deadline"] < local_now().date():
        errors["deadline"] = _("截止日期不能早于今天")
    if errors:
        raise ValidationError(errors)
    return {name: data[name] for name in FIELDS}


def create_need(need, by, data):
    """An org admin posts ``need`` (its campaign and organization set): it waits for its street to publish it."""
    require(by, "create", need)
    for name, value in checked(data, need.campaign.district_id).items():
        setattr(need, name, value)
    with db.atomic():
        need.status, need.created_by = "submitted", by
        need.save()
        AuditLog.record(by, "need.create", need, detail=need.kind, street=need.street)
    return need


def edit_need(need, by, data):
    """The poster changes a need that waits or was returned; it goes (back) to its street."""
    require(by, "edit", need)
    changes = checked(data, need.street.district_id)
    street = changes.pop("street")
    with db.atomic():
        # ``street`` of apply() names the audit entry's street; the need's own moves on beside it.
        LIFECYCLE.apply(need, "edit", by, street=street, return_reason="", updated_at=utcnow(), **changes)
        Need.update(street=street).where(Need.id == need.id).execute()
        need.street = street
    return need


def publish(need, by):
    """The moderator of the need's street publishes it on the month's board."""
    require(by, "publish", need)
    return LIFECYCLE.apply(need, "publish", by, street=need.street, published_by=by, published_at=utcnow())


def return_(need, by, reason):
    """The street sends it back with the reason the organization reads."""
    require(by, "return", need)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明理由")})
    return LIFECYCLE.apply(need, "return", by, street=need.street, detail=reason, return_reason=reason)


def respond(need, by, organization, message, contact_name, contact_phone):
    """A partner account or another organization's admin answers a published need, once."""
    require(by, "respond", need)
    with db.atomic():
        if Response.select().where(Response.need == need, Response.responder == by).exists():
            raise LifecycleError(_("您已经回应过这条信息"))
        response = Response.create(need=need, responder=by, organization=organization, message=message.strip(),
                                   contact_name=contact_name.strip(), contact_phone=contact_phone)
        AuditLog.record(by, "response.create", response, street=need.street)
    return response


def match(response, by):
    """The poster marks ``response`` as the match: the response is dated, the need counts as 已对接."""
    require(by, "match", response)
    need = response.need
    now = utcnow()
    with db.atomic():
        marked = (Response.update(matched_at=now, matched_by=by)
                  .where(Response.id == response.id, Response.matched_at.is_null()).execute())
        if not marked:
            raise LifecycleError(_("这条回应已经标记为对接成功"))
        Need.update(status="matched", updated_at=now).where(Need.id == need.id).execute()
        AuditLog.record(by, "response.match", response, detail=f"need {need.id}", street=need.street)
    response.matched_at, response.matched_by, need.status = now, by, "matched"
    return response
