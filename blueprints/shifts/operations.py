"""Writes: sign in, sign out, correct hours (audit-logged)."""
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from blueprints.shifts import queries
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, Shift, db
from models.base import utcnow

#: The most hours one entry may be corrected to.
MAX_HOURS = Decimal(24)


def start(event, user):
    """签到上岗: a new open shift for ``user``."""
    with db.atomic():
        require(user, "start", Shift(event=event, volunteer=user))
        return Shift.create(event=event, volunteer=user, started_at=utcnow())


def stop(shift, user):
    """签退: the shift ends now, or when sign-in closed if the volunteer forgot."""
    require(user, "stop", shift)
    shift.ended_at = min(utcnow(), queries.window(shift.event)[1])
    shift.save(only=[Shift.ended_at])
    return shift


def parse_hours(text):
    """Hours as typed (半角 or 全角, one decimal place at most, in half hours), or ValidationError."""
    text = (text or "").strip().replace("．", ".")
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValidationError({"hours": _("请填写时长，如 1.5")}) from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise ValidationError({"hours": _("请填写 0 到 24 之间的时长")})
    if (hours * 2) % 1:
        raise ValidationError({"hours": _("请按半小时填写，如 1、1.5、2")})
    return hours.quantize(Decimal("0.1"))


def correct(shift, user, hours_text, reason):
    """The org admin sets the hours that count, with a reason (audit-logged)."""
    require(user, "correct", shift)
    reason = (reason or "").strip()
    errors = {}
    try:
        hours = parse_hours(hours_text)
    except ValidationError as error:
        errors.update(error.errors)
    if not reason:
        errors["reason"] = _("请填写修改的理由")
    if errors:
        raise ValidationError(errors)
    before = queries.hours_of(shift)
    shift.corrected_hours, shift.correction_reason = hours, reason
    shift.corrected_by, shift.corrected_at = user, utcnow()
    shift.save()
    AuditLog.record(
        user, "shift.correct", shift, detail=f"{before} → {hours}: {reason}", street=shift.event.street
    )
    return shift
