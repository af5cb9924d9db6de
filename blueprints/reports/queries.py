"""Reads for reports: attendance from the check-ins, volunteers' hours from the sign-ins, the street's queue."""
from peewee import fn

from models import CheckIn, Event, Report, ReportPhoto, Shift, User

try:
    from blueprints.shifts.hours import minutes_between, shift_hours
except ImportError:  # pragma: no cover - the shifts feature is not there yet
    shift_hours = None


def attendance(event):
    """Check-ins by method: {"qr": n, "manual": n, "total": n}."""
    rows = (CheckIn.select(CheckIn.method, fn.COUNT(CheckIn.id).alias("n"))
            .where(CheckIn.event == event).group_by(CheckIn.method).tuples())
    counts = {"qr": 0, "manual": 0}
    for method, n in rows:
        counts[method if method in counts else "qr"] += n
    counts["total"] = counts["qr"] + counts["manual"]
    return counts


def volunteer_hours(event):
    """[(name, hours)] of the event's finished sign-ins, or None when hours cannot be computed here."""
    if shift_hours is None:
        return None
    shifts = (Shift.select(Shift, User).join(User, on=(Shift.volunteer == User.id))
              .where(Shift.event == event, Shift.ended_at.is_null(False)).order_by(Shift.started_at))
    rows = []
    for shift in shifts:
        hours = shift.corrected_hours
        if hours is None:
            hours = shift_hours(minutes_between(shift.started_at, shift.ended_at))
        rows.append((shift.volunteer.name, hours))
    return rows


def photos(report):
    return list(ReportPhoto.select().where(ReportPhoto.report == report).order_by(ReportPhoto.id))


def street_queue(street):
    """Submitted reports on events held in ``street``."""
    return (Report.select(Report, Event).join(Event)
            .where(Event.street == street, Report.status == "submitted").order_by(Report.submitted_at))
