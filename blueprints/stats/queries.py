"""The numbers behind the charts and the district console, in a fixed handful of grouped queries whatever the
number of streets, organizations, events or check-ins.

Organizations count under their own street and only while 正常 (status active); events and check-ins count where
the event takes place (its street), events once they reached the public (published, ended, reported: not drafts,
not cancelled); check-ins that were undone do not count, and the charts count them in the month their event
started. Months and years are Shanghai's.
"""
import datetime
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from peewee import JOIN, SQL, Case, Select, SqliteDatabase, Value, fn

from core.charts import Bar, percent_text, share
from core.templating import label
from core.timeutil import to_local, to_utc
from models import (
    GRADES,
    PARTY_ORGS,
    SERVICE_FIELDS,
    CheckIn,
    Event,
    Organization,
    OrgStatus,
    Report,
    Signal,
    Street,
    db,
)
from models.oversight import SIGNAL_KINDS

#: Events that reached the public and were not cancelled.
HELD = ("published", "ended", "reported")
#: The evaluation-grade target of the district's plan: at least 20% of organizations.
GRADE_TARGET = 0.2
MONTHS = 12
SIGNAL_LABELS = {
    "zombie": _l("疑似僵尸"),
    "report_overdue": _l("报告逾期"),
    "zero_checkin": _l("零签到"),
    "checkin_anomaly": _l("签到异常"),
    "cancellations": _l("频繁取消"),
    "annual_report": _l("年报未交"),
}


def _sum(condition):
    return fn.SUM(Case(None, ((condition, 1),), 0))


def _int(value):
    return int(value or 0)


def month_starts(now, count=MONTHS):
    """The first moments (Shanghai) of the last ``count`` months up to this one, and of the next: count + 1."""
    local = to_local(now)
    index = local.year * 12 + local.month - 1
    return [datetime.datetime(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 2)]


def year_start(now):
    """Naive UTC of 1 January of this year in Shanghai."""
    return to_utc(datetime.datetime(to_local(now).year, 1, 1))


def plus_days(column, days):
    """``column`` + ``days`` days, in the database's own date arithmetic."""
    if isinstance(db.obj, SqliteDatabase):
        return fn.datetime(column, f"+{int(days)} days")
    return column + SQL(f"interval '{int(days)} days'")


def in_scope(column, streets):
    """``column`` (a street) among ``streets``, a query of street ids."""
    return column.in_(streets)


# --- the charts ----------------------------------------------------------------------------------------------------


@dataclass
class Charts:
    months: list  # (month start, events Bar, check-ins Bar)
    fields: list  # Bars by service field
    organizations: int
    graded: int
    grades: list  # Bars by grade
    party: list  # Bars by kind of party organization (none last)
    covered: int
    signals: list  # Bars by kind of signal
    at: datetime.datetime

    @property
    def grade_share(self):
        return percent_text(self.graded, self.organizations)

    @property
    def grade_missing(self):
        """How many more organizations need a grade to reach the target (integer arithmetic: 20% of 15 is 3)."""
        percent = round(GRADE_TARGET * 100)
        return max(0, -(-self.organizations * percent // 100) - self.graded)

    @property
    def party_share(self):
        return percent_text(self.covered, self.organizations)

    @property
    def events_total(self):
        return sum(int(events.value) for _, events, _ in self.months)

    @property
    def checkins_total(self):
        return sum(int(checkins.value) for _, _, checkins in self.months)

    @property
    def signals_total(self):
        return sum(int(bar.value) for bar in self.signals)


def monthly(query, column, starts):
    """One row: the rows of ``query`` counted by the month ``column`` falls in."""
    bounds = [to_utc(start) for start in starts]
    sums = [_sum((column >= a) & (column < b)) for a, b in zip(bounds, bounds[1:], strict=False)]
    row = query.select(*sums).where(column >= bounds[0], column < bounds[-1]).tuples().get()
    return [_int(value) for value in row]


def monthly_checkins(streets, starts):
    """Check-ins by the month of their event: counted per event from the index on (event, created_at, undone_at),
    then the events sorted into months. A year of a district's check-ins (300,000 in the large data set) is too
    many rows to sort into months one by one in 300 ms (bench/README.md)."""
    bounds = [to_utc(start) for start in starts]
    if isinstance(db.obj, SqliteDatabase):
        # SQLite: each event's count as a correlated subquery from the covering index (130 ms; the grouped join
        # below takes 200 ms there, and PostgreSQL takes 390 ms for this one).
        attended = CheckIn.select(fn.COUNT(SQL("*"))).where(CheckIn.event == Event.id, CheckIn.undone_at.is_null())
        sums = [fn.SUM(Case(None, (((Event.starts_at >= a) & (Event.starts_at < b), attended),), 0))
                for a, b in zip(bounds, bounds[1:], strict=False)]
        row = (Event.select(*sums).where(in_scope(Event.street, streets), Event.starts_at >= bounds[0],
                                         Event.starts_at < bounds[-1]).tuples().get())
        return [_int(value) for value in row]
    per_event = (
        CheckIn.select(Event.starts_at.alias("starts_at"), fn.COUNT(SQL("*")).alias("n"))
        .join(Event, on=(CheckIn.event == Event.id))
        .where(in_scope(Event.street, streets), CheckIn.undone_at.is_null(),
               Event.starts_at >= bounds[0], Event.starts_at < bounds[-1])
        .group_by(Event.id, Event.starts_at)
        .alias("per_event")
    )
    at, n = per_event.c.starts_at, per_event.c.n
    edges = [Event.starts_at.db_value(bound) for bound in bounds]  # compared as the column stores them
    sums = [fn.SUM(Case(None, (((at >= a) & (at < b), n),), 0)) for a, b in zip(edges, edges[1:], strict=False)]
    row = db.execute(Select([per_event], sums)).fetchone()
    return [_int(value) for value in row]


def month_label(start):
    return _l("%(month)d月", month=start.month)


def charts(streets, now):
    """Everything the charts page shows, for the streets of the query ``streets`` (of ids): four queries."""
    starts = month_starts(now)
    events = monthly(Event.select().where(in_scope(Event.street, streets), Event.status.in_(HELD)),
                     Event.starts_at, starts)
    checkins = monthly_checkins(streets, starts)
    months = [(start, Bar(str(month_label(start)), e), Bar(str(month_label(start)), c))
              for start, e, c in zip(starts, events, checkins, strict=False)]

    padded = Value(",").concat(Organization.service_fields).concat(",")
    graded = Organization.grade.in_(GRADES)
    row = (
        Organization.select(
            fn.COUNT(Organization.id), _sum(graded),
            *(_sum(Organization.grade == g) for g in GRADES),
            *(_sum(Organization.party_org == p) for p in PARTY_ORGS),
            *(_sum(padded.contains(f",{f},")) for f in SERVICE_FIELDS),
        )
        .where(in_scope(Organization.street, streets), Organization.status == OrgStatus.ACTIVE)
        .tuples().get()
    )
    total, graded_count, *rest = (_int(v) for v in row)
    by_grade, rest = rest[:len(GRADES)], rest[len(GRADES):]
    by_party, by_field = rest[:len(PARTY_ORGS)], rest[len(PARTY_ORGS):]
    fields = sorted(
        (Bar(str(label(f, "service_field")), n) for f, n in zip(SERVICE_FIELDS, by_field, strict=True)),
        key=lambda bar: -bar.value,
    )
    party = [Bar(str(label(p, "party_org")), n) for p, n in zip(PARTY_ORGS, by_party, strict=True)]
    covered = sum(n for p, n in zip(PARTY_ORGS, by_party, strict=True) if p != "none")

    open_by_kind = dict(
        Signal.select(Signal.kind, fn.COUNT(Signal.id))
        .where(in_scope(Signal.street, streets), Signal.status == "open")
        .group_by(Signal.kind).tuples()
    )
    signals = [Bar(str(SIGNAL_LABELS.get(k, k)), open_by_kind.get(k, 0)) for k in SIGNAL_KINDS]
    return Charts(
        months=months, fields=fields, organizations=total,
        graded=graded_count, grades=[Bar(g, n) for g, n in zip(GRADES, by_grade, strict=True)],
        party=party, covered=covered, signals=signals, at=now,
    )


# --- the district console ------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One street's row of the district console, or the totals row (street None)."""

    street: object = None
    total: int = 0
    counts: dict = field(default_factory=dict)  # organizations by status
    graded: int = 0
    events: int = 0
    checkins: int = 0
    due: int = 0  # ended events whose report was due by now
    on_time: int = 0  # of those, the ones whose report came within the due days
    signals: int = 0

    @property
    def active(self):
        return self.counts.get(OrgStatus.ACTIVE, 0)

    @property
    def on_time_text(self):
        return percent_text(self.on_time, self.due)

    @property
    def grade_text(self):
        return percent_text(self.graded, self.active)

    @property
    def grade_share(self):
        return share(self.graded, self.active)

    def add(self, other):
        self.total += other.total
        for status, n in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + n
        for name in ("graded", "events", "checkins", "due", "on_time", "signals"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


STATUSES = (OrgStatus.ACTIVE, OrgStatus.PENDING, OrgStatus.FLAGGED, OrgStatus.CLOSED)


def district_table(district, now, due_days):
    """The streets of ``district`` side by side, and their totals: six queries whatever the number of streets.

    Reports on time: of the events of this year that ended at least ``due_days`` ago, the share whose report was
    submitted (and not taken back to draft) within ``due_days`` of the event's end.
    """
    streets = list(Street.select().where(Street.district == district).order_by(Street.code))
    lines = {s.id: Line(street=s) for s in streets}
    in_district = Street.select(Street.id).where(Street.district == district)
    start = year_start(now)

    for street_id, total, graded, *by_status in (
        Organization.select(Organization.street, fn.COUNT(Organization.id),
                            _sum((Organization.status == OrgStatus.ACTIVE) & Organization.grade.in_(GRADES)),
                            *(_sum(Organization.status == s) for s in STATUSES))
        .where(in_scope(Organization.street, in_district))
        .group_by(Organization.street).tuples()
    ):
        line = lines[street_id]
        line.total, line.graded = _int(total), _int(graded)
        line.counts = {s: _int(n) for s, n in zip(STATUSES, by_status, strict=True)}

    for street_id, n in (
        Event.select(Event.street, fn.COUNT(Event.id))
        .where(in_scope(Event.street, in_district), Event.status.in_(HELD), Event.starts_at >= start)
        .group_by(Event.street).tuples()
    ):
        lines[street_id].events = _int(n)

    for street_id, n in (
        # COUNT(*): counted from an index alone (migration 0019), no row read.
        CheckIn.select(Event.street, fn.COUNT(SQL("*")))
        .join(Event, on=(CheckIn.event == Event.id))
        .where(in_scope(Event.street, in_district), CheckIn.undone_at.is_null(), CheckIn.created_at >= start)
        .group_by(Event.street).tuples()
    ):
        lines[street_id].checkins = _int(n)

    came_in_time = (
        Report.submitted_at.is_null(False) & (Report.status != "draft")
        & (Report.submitted_at <= plus_days(Event.ends_at, due_days))
    )
    for street_id, due, on_time in (
        Event.select(Event.street, fn.COUNT(Event.id), _sum(came_in_time))
        .join(Report, JOIN.LEFT_OUTER, on=(Report.event == Event.id))
        .where(in_scope(Event.street, in_district), Event.status.in_(HELD), Event.ends_at >= start,
               Event.ends_at <= now - datetime.timedelta(days=due_days))
        .group_by(Event.street).tuples()
    ):
        lines[street_id].due, lines[street_id].on_time = _int(due), _int(on_time)

    for street_id, n in (
        Signal.select(Signal.street, fn.COUNT(Signal.id))
        .where(in_scope(Signal.street, in_district), Signal.status == "open")
        .group_by(Signal.street).tuples()
    ):
        if street_id in lines:
            lines[street_id].signals = _int(n)

    rows = [lines[s.id] for s in streets]
    total = Line()
    for line in rows:
        total.add(line)
    return rows, total

