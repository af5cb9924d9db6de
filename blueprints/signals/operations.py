"""Recomputing the signals (upsert, by fingerprint) and closing one as looked at."""
from dataclasses import dataclass

from flask_babel import gettext as _

from blueprints.signals.compute import findings as compute_findings
from core.errors import LifecycleError, ValidationError
from core.policy import require
from models import AuditLog, Organization, Signal, Street, db, utcnow


@dataclass
class Outcome:
    """What a recomputation changed, for the command's output and the page's message."""

    opened: int = 0
    reopened: int = 0
    kept: int = 0
    cleared: int = 0


def scope(district=None, street=None):
    """The ids of the streets a recomputation covers: one street, a district's, or all."""
    if street is not None:
        return Street.select(Street.id).where(Street.id == street.id)
    if district is not None:
        return Street.select(Street.id).where(Street.district == district)
    return Street.select(Street.id)


def refresh(district=None, street=None, now=None):
    """Recompute the signals of ``street`` (or of ``district``'s streets, or of all).

    A new finding opens a signal; one closed as looked at stays closed while its fingerprint is the one it was
    closed with, and opens again (raised now) when new data changed it; a signal whose condition is gone is cleared.
    """
    now = now or utcnow()
    streets = scope(district, street)
    found = compute_findings(streets, now)
    outcome = Outcome()
    with db.atomic():
        # The scope's signals, and any other of its organizations' (an event whose venue moved to another street).
        existing = {
            (s.kind, s.organization_id, s.subject): s for s in Signal.select().where(
                Signal.street.in_(streets)
                | Signal.organization.in_(Organization.select(Organization.id).where(Organization.street.in_(streets)))
            )
        }
        street_ids = {row.id for row in streets}
        new = []
        for key, finding in found.items():
            kind, org_id, subject = key
            signal = existing.pop(key, None)
            if signal is None:
                new.append({"kind": kind, "organization": org_id, "subject": subject, "street": finding.street_id,
                            "event": finding.event_id, "reason": finding.reason, "data": finding.data_json,
                            "fingerprint": finding.fingerprint, "status": "open", "raised_at": now,
                            "updated_at": now})
                outcome.opened += 1
                continue
            _update(signal, finding, now, outcome)
        for batch in range(0, len(new), 500):
            # A recomputation running at the same time may have inserted one first: it found the same.
            Signal.insert_many(new[batch:batch + 500]).on_conflict_ignore().execute()
        gone = [s.id for s in existing.values() if s.status != "cleared" and s.street_id in street_ids]
        if gone:
            Signal.update(status="cleared", updated_at=now).where(Signal.id.in_(gone)).execute()
        outcome.cleared = len(gone)
    return outcome


def _update(signal, finding, now, outcome):
    """A finding for a signal already stored: its reason and data brought up to date, its status by fingerprint."""
    if signal.status == "open":
        status = "open"
    elif signal.closed_fingerprint and signal.closed_fingerprint == finding.fingerprint:
        status = "closed"  # looked at, and nothing new since
    else:
        status = "open"
    changes = {"street": finding.street_id, "event": finding.event_id, "reason": finding.reason,
               "data": finding.data_json, "fingerprint": finding.fingerprint, "status": status}
    if status == "open" and signal.status != "open":
        changes["raised_at"] = now
        outcome.reopened += 1
    else:
        outcome.kept += 1
    current = {"street": signal.street_id, "event": signal.event_id, "reason": signal.reason, "data": signal.data,
               "fingerprint": signal.fingerprint, "status": signal.status}
    if any(current[name] != value for name, value in changes.items() if name in current):
        Signal.update(updated_at=now, **changes).where(Signal.id == signal.id).execute()


def close(signal, by, note):
    """已查看, with the moderator's note: closed until new data changes its fingerprint."""
    require(by, "close", signal)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请写下查看的情况，例如已电话联系")})
    with db.atomic():
        # Only while it is still open, and with the fingerprint it has now: two moderators, one signal.
        changes = {"status": "closed", "note": note, "closed_by": by, "closed_at": utcnow()}
        stored = Signal.get_by_id(signal.id)
        closed = (Signal.update(closed_fingerprint=stored.fingerprint, **changes)
                  .where(Signal.id == signal.id, Signal.status == "open").execute())
        if not closed:
            raise LifecycleError(_("这条风险提示已经处理过了"))
        for name, value in {**changes, "closed_fingerprint": stored.fingerprint}.items():
            setattr(signal, name, value)
        AuditLog.record(by, "signal.close", signal, detail=note, street=signal.street_id)
    return signal


def refresh_for(street_or_district, by, **kwargs):
    """立即重新计算, asked for by a watcher: the recomputation, audit-logged."""
    outcome = refresh(**kwargs)
    AuditLog.record(by, "signal.refresh", street_or_district,
                    detail=f"opened={outcome.opened} reopened={outcome.reopened} cleared={outcome.cleared}",
                    street=kwargs.get("street"))
    return outcome
