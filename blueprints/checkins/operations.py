"""Check-in: one per phone per event, numbered in order, safe against double taps, retries and crowds."""
import datetime

from flask_babel import gettext as _
from peewee import IntegrityError, fn

from core.errors import LifecycleError, ValidationError
from core.policy import require
from models import AuditLog, CheckIn, Event, Signup, db, for_update, serialising_transaction, utcnow

#: Volunteers may still record late arrivals this long after the end.
MANUAL_GRACE = datetime.timedelta(hours=24)


def window(event, now=None):
    """open, not_yet, closed, cancelled or unavailable (not published)."""
    now = now or utcnow()
    status = event.current_status
    if status == "cancelled":
        return "cancelled"
    if status not in ("published", "ended", "reported"):
        return "unavailable"
    if now < event.checkin_opens_at:
        return "not_yet"
    if now >= event.ends_at:
        return "closed"
    return "open"


def counted(event):
    """The check-ins that count: not undone."""
    return event.checkins.where(CheckIn.undone_at.is_null())


def find_existing(event, phone, key):
    if key:
        existing = CheckIn.get_or_none(CheckIn.idempotency_key == key)
        if existing is not None and existing.event_id == event.id:
            return existing
    if phone:
        return CheckIn.get_or_none(CheckIn.event == event, CheckIn.phone == phone)
    return None


def check_in(event, name, phone, minor=False, key=None, device=None, method="qr", by=None, now=None):
    """Returns (check-in, created). A second check-in of the same phone, or a retried form, returns the first.

    A resident checks in by scanning (``qr``, no account); a member of the organization records one
    (``manual``, ``by``).
    """
    now = now or utcnow()
    state = window(event, now)
    if method == "manual":
        require(by, "record_checkin", event)
        if state in ("cancelled", "unavailable") or now >= event.ends_at + MANUAL_GRACE:
            raise LifecycleError(_("这个活动现在不能签到"))
    elif state != "open":
        raise LifecycleError(state)
    existing = find_existing(event, phone, key)
    if existing is not None and existing.undone_at is None:
        return existing, False
    try:
        with serialising_transaction():
            locked = for_update(Event.select().where(Event.id == event.id)).get()
            if existing is not None:  # a check-in undone by mistake: the resident is here after all
                existing.undone_at = existing.undone_by = existing.undo_reason = None
                existing.name, existing.created_at = name.strip(), now
                existing.save()
                return existing, True
            number = (CheckIn.select(fn.MAX(CheckIn.number)).where(CheckIn.event == locked).scalar() or 0) + 1
            checkin = CheckIn.create(
                event=locked, name=name.strip(), phone=phone or None, minor=minor, method=method, recorded_by=by,
                number=number, idempotency_key=key or None, device=device, consent_at=now if method == "qr" else None,
                created_at=now,
            )
            if by is not None:
                AuditLog.record(by, "checkin.manual", checkin, detail=checkin.name, street=event.street)
            return checkin, True
    except IntegrityError:  # the same phone or form, a moment ago, in another request
        existing = find_existing(event, phone, key)
        if existing is None:
            raise
        return existing, False


def undo(checkin, by, reason):
    """A volunteer undoes a wrong check-in, saying why; it no longer counts."""
    require(by, "undo", checkin)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明撤销的理由")})
    if checkin.undone_at is not None:
        raise LifecycleError(_("这条签到已经撤销了"))
    with db.atomic():
        checkin.undone_at, checkin.undone_by, checkin.undo_reason = utcnow(), by, reason.strip()
        checkin.save()
        AuditLog.record(by, "checkin.undo", checkin, detail=reason.strip(), street=checkin.event.street)


def erase_resident(phone):
    """A resident removes their name and phone from all their check-ins; the counts stay."""
    with db.atomic():
        return CheckIn.update(name=None, phone=None, erased_at=utcnow()).where(CheckIn.phone == phone).execute()


def purge_personal_data(retention_days, now=None):
    """Names and phones of check-ins and sign-ups of events that ended more than ``retention_days`` ago."""
    cutoff = (now or utcnow()) - datetime.timedelta(days=retention_days)
    old_events = Event.select(Event.id).where(Event.ends_at < cutoff)
    with db.atomic():
        checkins = CheckIn.update(name=None, phone=None, erased_at=utcnow()).where(
            CheckIn.event.in_(old_events), CheckIn.erased_at.is_null()
        ).execute()
        signups = Signup.update(name=None, phone=None).where(
            Signup.event.in_(old_events), Signup.phone.is_null(False) | Signup.name.is_null(False)
        ).execute()
        AuditLog.create(
            action="privacy.purge", target_type="checkin", detail=f"{checkins} check-ins, {signups} sign-ups"
        )
    return checkins, signups
