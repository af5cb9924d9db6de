"""Signing up for a partner month, and the street's answer. Each operation asks the policy (policy.py) and writes
the audit log; the contact's phone stays out of the log."""
from flask_babel import gettext as _

from blueprints.entries.policy import LIFECYCLE
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, MonthEntry, db, utcnow

#: What the sign-up form sets.
FIELDS = ("theme", "planned_events", "contact_name", "contact_phone")


def entry_for(campaign, organization):
    """The organization's sign-up for the month, or a new unsaved one."""
    entry = MonthEntry.get_or_none(MonthEntry.campaign == campaign, MonthEntry.organization == organization)
    return entry or MonthEntry(campaign=campaign, organization=organization, status="pending")


def save(entry, by, data):
    """Sign up, or change the sign-up: it waits for the street (again, when it had been returned or withdrawn)."""
    require(by, "edit", entry)
    if not 1 <= (data.get("planned_events") or 0) <= 100:
        raise ValidationError({"planned_events": _("请填写 1 到 100 之间的整数")})
    new = entry.id is None
    with db.atomic():
        for name in FIELDS:
            setattr(entry, name, data[name])
        if new:
            entry.created_by = by
        entry.status, entry.updated_at = "pending", utcnow()
        entry.save()
        AuditLog.record(by, "entry.signup" if new else "entry.edit", entry,
                        street=entry.organization.street_id)
    return entry


def withdraw(entry, by):
    require(by, "withdraw", entry)
    return LIFECYCLE.apply(entry, "withdraw", by, street=entry.organization.street_id, updated_at=utcnow())


def confirm(entry, by):
    """The street confirms the sign-up: the organization takes part in the month."""
    require(by, "confirm", entry)
    now = utcnow()
    return LIFECYCLE.apply(entry, "confirm", by, street=entry.organization.street_id, decided_by=by, decided_at=now,
                           updated_at=now, note="")


def return_(entry, by, note):
    """The street asks for changes, saying which; the organization edits and it waits again."""
    require(by, "return", entry)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("请写明需要修改的内容")})
    now = utcnow()
    return LIFECYCLE.apply(entry, "return", by, street=entry.organization.street_id, decided_by=by, decided_at=now,
                           updated_at=now, note=note)

