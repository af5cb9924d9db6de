"""Check-in: one per phone per event, numbered in order, safe against double taps, retries and crowds."""
import datetime

from flask import current_app, has_app_context
from flask_babel import gettext as _
from peewee import IntegrityError, SqliteDatabase

from core.errors import LifecycleError, ValidationError
from core.policy import require
from models import (
    PG_TYPES,
    AuditLog,
    CheckIn,
    Event,
    Signup,
    db,
    execute_prepared,
    for_update,
    serialising_transaction,
    utcnow,
)

#: PostgreSQL's values of synchronous_commit, and the one a resident's check-in commits with unless
#: CHECKIN_SYNCHRONOUS_COMMIT says otherwise (insert_numbered).
SYNCHRONOUS_COMMIT = ("on", "off", "local", "remote_write", "remote_apply")
DEFAULT_SYNCHRONOUS_COMMIT = "off"
#: Volunteers may still record late arrivals this long after the end.
MANUAL_GRACE = datetime.timedelta(hours=24)
#: The longest form key the column holds.
KEY_LENGTH = CheckIn.idempotency_key.max_length


def parse_synchronous_commit(text):
    """CHECKIN_SYNCHRONOUS_COMMIT as PostgreSQL spells it; anything else is a ValueError that names the setting, so a
    mistyped deployment stops at start-up."""
    value = text.strip().lower()
    if value not in SYNCHRONOUS_COMMIT:
        raise ValueError(f"CHECKIN_SYNCHRONOUS_COMMIT={text!r}: one of {', '.join(SYNCHRONOUS_COMMIT)}")
    return value


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
    """The check-in this form (its key) or this phone already made at ``event``; a key of another event is refused."""
    if key:
        if len(key) > KEY_LENGTH:
            raise ValidationError({"key": _("页面已过期，请刷新后重新填写")})
        existing = CheckIn.get_or_none(CheckIn.idempotency_key == key)
        if existing is not None:
            if existing.event_id != event.id:
                raise ValidationError({"key": _("页面已过期，请刷新后重新填写")})
            return existing
    if phone:
        return CheckIn.get_or_none(CheckIn.event == event, CheckIn.phone == phone)
    return None


#: The columns a new check-in is written with, in the order of INSERT_SQL's values.
INSERT_FIELDS = (
    CheckIn.event, CheckIn.name, CheckIn.phone, CheckIn.minor, CheckIn.method, CheckIn.recorded_by, CheckIn.number,
    CheckIn.idempotency_key, CheckIn.device, CheckIn.address, CheckIn.consent_at, CheckIn.created_at,
)
#: The hot path's two writes, as SQL text built once (peewee's query building cost more than the statements): the
#: event's next number, never below a number already there (check-ins a seed or an import wrote: an index probe on
#: check_in (event_id, number)), its counter made by the event's first numbered check-in; and the check-in, or nothing
#: when its phone or its form has one already. No number is taken when the event is not there.
NEXT_NUMBER_SQL = (
    'INSERT INTO "check_in_counter" ("event_id", "last") SELECT "id", (SELECT COALESCE(MAX("number"), 0) '
    'FROM "check_in" WHERE "event_id" = {p}) + 1 FROM "event" WHERE "id" = {p}{as_read} ON CONFLICT ("event_id") '
    'DO UPDATE SET "last" = {greatest}("check_in_counter"."last" + 1, "excluded"."last") RETURNING "last"'
)
INSERT_SQL = (
    'INSERT INTO "check_in" ({columns}) VALUES ({values}) ON CONFLICT DO NOTHING RETURNING "id"'
)


#: PostgreSQL: a resident's number and check-in in one statement, so in one round trip with no BEGIN and COMMIT of
#: its own. The event's counter is raised first (NEXT_NUMBER_SQL, whose row lock queues the event's concurrent
#: check-ins: each one, once the row is its own, raises what the one before it left), then the check-in is inserted
#: with that number. When its phone or its form has a check-in already, a unique index refuses the insert and the
#: whole statement is undone, the counter with it, so no number is burnt. No row says the event is not there, or no
#: longer as read.
NUMBERED_INSERT_SQL = (
    'WITH "next" AS (' + NEXT_NUMBER_SQL.format(p="%s", greatest="GREATEST", as_read="{as_read}") + ') '
    'INSERT INTO "check_in" ({columns}, "number") SELECT {values}, "next"."last" FROM "next" RETURNING "id", "number"'
)
#: SQLite: the same in one statement. SQLite takes its write lock as an INSERT starts, so the highest number the
#: statement reads (an index probe on check_in (event_id, number)) is the last one taken; nothing is inserted, and no
#: number taken, when its phone or its form has a check-in already or when the event's row is not there or no longer
#: as read (the SELECT gives no row). SQLite's write lock queues the event's check-ins as PostgreSQL's row lock does,
#: so the counter is not needed here (a volunteer's check-in, next_number, still raises it).
SQLITE_NUMBERED_INSERT_SQL = (
    'INSERT INTO "check_in" ({columns}, "number") SELECT {values}, '
    '(SELECT COALESCE(MAX("number"), 0) FROM "check_in" WHERE "event_id" = ?) + 1 '
    'FROM "event" WHERE "id" = ?{as_read} ON CONFLICT DO NOTHING RETURNING "id", "number"'
)
#: What decides whether a resident may check in at an event and how (its window, the kind of pass its form carries,
#: its code). A check-in decided on the event as read a moment earlier (check_in's ``as_read``: these columns'
#: values as the database gave them) takes its number only while the event's row still holds them.
DECIDING = (
    Event.status, Event.starts_at, Event.ends_at, Event.checkin_lead_minutes, Event.checkin_mode,
    Event.checkin_token,
)


def as_read_sql(param):
    """The condition that the event's row still holds what was read, with ``param`` for each value."""
    return "".join(f' AND "{f.column_name}" = {param}' for f in DECIDING)


class Taken(Exception):
    """The phone or the form has its check-in already: the transaction, and the number it took, are rolled back."""


class EventChanged(Exception):
    """The event is no longer as the caller read it (check_in's ``as_read``): read it again, and decide again."""


def next_number(event_id):
    """The event's next check-in number, taken in one statement that also holds its counter's row until the commit."""
    param = db.obj.param
    greatest = "MAX" if isinstance(db.obj, SqliteDatabase) else "GREATEST"
    sql = NEXT_NUMBER_SQL.format(greatest=greatest, p=param, as_read="")
    row = db.execute_sql(sql, (event_id, event_id)).fetchone()
    if row is None:
        raise LifecycleError(_("这个活动现在不能签到"))
    return row[0]


def insert_new(checkin):
    """Write ``checkin`` unless its phone or its form key has a check-in already; its id, or None."""
    param = db.obj.param
    sql = INSERT_SQL.format(
        columns=", ".join(f'"{f.column_name}"' for f in INSERT_FIELDS), values=", ".join([param] * len(INSERT_FIELDS))
    )
    values = [f.db_value(checkin.__data__.get(f.name)) for f in INSERT_FIELDS]
    row = db.execute_sql(sql, values).fetchone()
    return row[0] if row else None


def insert_numbered(checkin, as_read=None):
    """Write ``checkin`` with the event's next number in one statement; (id, number), or None when nothing was written.

    PostgreSQL (NUMBERED_INSERT_SQL) raises IntegrityError when its phone or its form key has a check-in already, and
    says EventChanged when the event's row no longer holds ``as_read``, LifecycleError when there is none. SQLite
    (SQLITE_NUMBERED_INSERT_SQL) writes nothing in all three cases: the caller looks for the check-in that was there.
    """
    fields = [f for f in INSERT_FIELDS if f is not CheckIn.number]
    event_id = checkin.event_id
    values = [f.db_value(checkin.__data__.get(f.name)) for f in fields]
    read = list(as_read or ())
    sqlite = isinstance(db.obj, SqliteDatabase)
    param = "?" if sqlite else "%s"
    sql = (SQLITE_NUMBERED_INSERT_SQL if sqlite else NUMBERED_INSERT_SQL).format(
        columns=", ".join(f'"{f.column_name}"' for f in fields), values=", ".join([param] * len(fields)),
        as_read=as_read_sql(param) if as_read else "",
    )
    if sqlite:
        return db.execute_sql(sql, [*values, event_id, event_id, *read]).fetchone()
    # The values' types, which PostgreSQL cannot infer from an INSERT … SELECT: the event's id twice, what was read of
    # the event, the check-in's columns.
    types = [
        "integer", "integer", *(PG_TYPES[f.field_type] for f in DECIDING[:len(read)]),
        *(PG_TYPES[f.field_type] for f in fields),
    ]
    name = "checkin_numbered_as_read" if as_read else "checkin_numbered"
    # A resident's check-in commits without waiting for the disk (CHECKIN_SYNCHRONOUS_COMMIT, off by default): the
    # durability SQLite's WAL with synchronous=normal gives every write. The crowd's check-ins of an event queue at
    # the counter's row lock, and each one would otherwise hold it through its own flush of the WAL.
    commit = current_app.config["CHECKIN_SYNCHRONOUS_COMMIT"] if has_app_context() else DEFAULT_SYNCHRONOUS_COMMIT
    settings = {"synchronous_commit": commit}
    row = execute_prepared(name, sql, [event_id, event_id, *read, *values], types, settings).fetchone()
    if row is None:
        if as_read:
            raise EventChanged
        raise LifecycleError(_("这个活动现在不能签到"))
    return row


def write_new(checkin, event, by, as_read=None):
    """Write a new check-in with the event's next number; False when its phone or its form has one already.

    A resident's is one statement (insert_numbered, checking ``as_read``). A volunteer's is two in one transaction,
    with its audit log: the event's counter raised (next_number, whose row lock also queues concurrent check-ins of
    the event behind this one), then the insert (ON CONFLICT DO NOTHING); when nothing is inserted the transaction
    rolls back with its number, so the numbers stay gapless.
    """
    if by is None:
        found = insert_numbered(checkin, as_read)
        if found is None:
            return False
        checkin.id, checkin.number = found
    else:
        try:
            with serialising_transaction():
                checkin.number = next_number(event.id)
                checkin.id = insert_new(checkin)
                if checkin.id is None:
                    raise Taken
                record_manual(by, checkin, event)
        except Taken:
            return False
    checkin._dirty.clear()
    return True


def check_in(event, name, phone, minor=False, key=None, device=None, address=None, method="qr", by=None, now=None,
             as_read=None):
    """Returns (check-in, created). A second check-in of the same phone, or a retried form, returns the first.

    A resident checks in by scanning (``qr``, no account); a member of the organization records one
    (``manual``, ``by``). ``device`` and ``address`` are keyed hashes of the resident's browser and network, kept
    so that bursts from one of them can be found later.

    A new check-in takes the event's next number without gaps (write_new); a duplicate or a retry finds the first.
    ``as_read``, the DECIDING columns' values as the database gave them with ``event``: the check-in is written only
    while the event's row still holds them, and EventChanged says it no longer does.
    """
    now = now or utcnow()
    state = window(event, now)
    if method == "manual":
        require(by, "record_checkin", event)
        if state in ("cancelled", "unavailable") or now >= event.ends_at + MANUAL_GRACE:
            raise LifecycleError(_("这个活动现在不能签到"))
    elif state != "open":
        raise LifecycleError(state)
    if key and len(key) > KEY_LENGTH:
        raise ValidationError({"key": _("页面已过期，请刷新后重新填写")})
    checkin = CheckIn(
        event=event, name=name.strip(), phone=phone or None, minor=minor, method=method, recorded_by=by,
        idempotency_key=key or None, device=device, address=address,
        consent_at=now if method == "qr" else None, created_at=now,
    )
    try:
        if write_new(checkin, event, by, as_read):
            return checkin, True
    except IntegrityError:  # the same phone or form a moment ago in another request
        pass
    existing = ran_into(event, phone, key, as_read)
    if existing is None:
        raise ValidationError({"key": _("页面已过期，请刷新后重新填写")})
    if existing.undone_at is None:
        return existing, False
    with serialising_transaction():
        existing = for_update(CheckIn.select().where(CheckIn.id == existing.id)).get()
        if existing.undone_at is not None:
            # A check-in undone by mistake: the resident is here after all. It is this request's check-in now
            # (its device, its form), as a new one would be: the one undone keeps nothing of its own but its number.
            existing.undone_at = existing.undone_by = existing.undo_reason = None
            existing.name, existing.created_at, existing.minor = name.strip(), now, minor
            existing.method, existing.recorded_by, existing.device, existing.address = method, by, device, address
            existing.idempotency_key = key or existing.idempotency_key
            existing.consent_at = now if method == "qr" else None
            existing.save()
            record_manual(by, existing, event)
            return existing, True
    return existing, False


def ran_into(event, phone, key, as_read):
    """The check-in a write that wrote nothing ran into (find_existing), or None. On SQLite nothing there means the
    event's row no longer holds ``as_read``: EventChanged."""
    existing = find_existing(event, phone, key)
    if existing is None and as_read and isinstance(db.obj, SqliteDatabase):
        raise EventChanged
    return existing


def namesake(checkin):
    """An earlier check-in at the same event, still counted, with the same name and no phone: perhaps the same one."""
    return (
        counted(checkin.event)
        .where(CheckIn.name == checkin.name, CheckIn.phone.is_null(), CheckIn.id != checkin.id)
        .order_by(CheckIn.number)
        .first()
    )


def record_manual(by, checkin, event):
    """A volunteer's check-in is audit-logged: who and which check-in, never the resident's name."""
    if by is not None:
        AuditLog.record(by, "checkin.manual", checkin, street=event.street)


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


def erase_device_checkins(device):
    """A resident removes the names and phones of the check-ins this device (its hashed id) made; the counts stay."""
    if not device:
        return 0
    with db.atomic():
        return CheckIn.update(name=None, phone=None, erased_at=utcnow()).where(
            CheckIn.device == device, CheckIn.erased_at.is_null()
        ).execute()


def purge_personal_data(retention_days, now=None):
    """Names and phones of check-ins and sign-ups of events that ended more than ``retention_days`` ago.

    Also what could still name or single out a resident: undo reasons (free text, often a name), the audit log's
    details about those check-ins, and the hashed device and address of each check-in.
    """
    cutoff = (now or utcnow()) - datetime.timedelta(days=retention_days)
    old_events = Event.select(Event.id).where(Event.ends_at < cutoff)
    old_checkins = CheckIn.select(CheckIn.id).where(CheckIn.event.in_(old_events))
    with db.atomic():
        checkins = CheckIn.update(name=None, phone=None, erased_at=utcnow()).where(
            CheckIn.event.in_(old_events), CheckIn.erased_at.is_null()
        ).execute()
        CheckIn.update(undo_reason=None, device=None, address=None).where(
            CheckIn.event.in_(old_events),
            CheckIn.undo_reason.is_null(False) | CheckIn.device.is_null(False) | CheckIn.address.is_null(False),
        ).execute()
        AuditLog.update(detail="").where(
            AuditLog.target_type == "checkin", AuditLog.target_id.in_(old_checkins), AuditLog.detail != ""
        ).execute()
        signups = Signup.update(name=None, phone=None).where(
            Signup.event.in_(old_events), Signup.phone.is_null(False) | Signup.name.is_null(False)
        ).execute()
        AuditLog.create(
            action="privacy.purge", target_type="checkin", detail=f"{checkins} check-ins, {signups} sign-ups"
        )
    return checkins, signups
