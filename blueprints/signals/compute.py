"""The risk signals, computed: one function per kind, each a few set-based queries over the streets in scope.

Each returns its findings as ``{(kind, organization id, subject): Finding}``. A finding's reason is a Chinese
sentence with its numbers; its data the rows behind it; its fingerprint sums up what a moderator looked at, so that a
signal closed as looked at opens again only when new data moves it (not because another day has passed).
"""
import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from peewee import fn

from blueprints.reports.queries import overdue as overdue_events
from core.timeutil import to_local, to_utc
from core.validators import mask_phone
from models import CheckIn, Event, EventStatus, Organization, OrgStatus, Report, utcnow

#: Statuses of an event that was held, or will be, in public: activity.
HELD = (EventStatus.PUBLISHED, EventStatus.ENDED, EventStatus.REPORTED)
#: An organization with no such event at all is 疑似僵尸 this long after it registered.
ZOMBIE_NEW_DAYS = 365
#: The defaults of the settings (app.py sets them; README lists them).
DEFAULTS = {
    "SIGNAL_ZOMBIE_DAYS": 180,
    "SIGNAL_LOOKBACK_DAYS": 90,
    "SIGNAL_BURST_COUNT": 20,
    "SIGNAL_BURST_SECONDS": 60,
    "SIGNAL_CANCEL_COUNT": 3,
    "SIGNAL_CANCEL_DAYS": 90,
    "ANNUAL_REPORT_DUE": "06-30",
}
#: The bursts and overlaps a signal's data lists at most (the counts say how many there were).
ROWS_KEPT = 20


def setting(name):
    value = current_app.config.get(name, DEFAULTS[name])
    return value if name == "ANNUAL_REPORT_DUE" else int(value)


@dataclass
class Finding:
    street_id: int
    reason: str
    data: dict
    #: What the data stands on, before hashing (an id, a year): new data, a new fingerprint.
    basis: str
    event_id: int | None = None
    fingerprint: str = field(init=False)

    def __post_init__(self):
        self.fingerprint = hashlib.sha256(self.basis.encode()).hexdigest()[:32]

    @property
    def data_json(self):
        return json.dumps(self.data, ensure_ascii=False, sort_keys=True)


def day(value):
    """2026年5月1日, Shanghai, from a naive-UTC timestamp (no request needed: the scheduled command calls this)."""
    local = to_local(value)
    return _("%(y)s年%(m)s月%(d)s日", y=local.year, m=local.month, d=local.day)


def moment(value):
    local = to_local(value)
    return f"{day(value)} {local:%H:%M:%S}"


def event_row(event_id, title, starts_at):
    return {"id": event_id, "title": title, "starts_at": day(starts_at)}


# --- 疑似僵尸 -----------------------------------------------------------------------------------------------------


def zombie(streets, now):
    """Active organizations whose latest held event started more than SIGNAL_ZOMBIE_DAYS ago, and those registered
    ZOMBIE_NEW_DAYS ago or more with no held event at all."""
    days = setting("SIGNAL_ZOMBIE_DAYS")
    last = (Event.select(Event.organization.alias("org_id"), fn.MAX(Event.starts_at).alias("last"))
            .where(Event.status.in_(HELD)).group_by(Event.organization)).alias("last")
    stale = (
        Event.select(Event.id, Event.title, Event.starts_at, Organization.id.alias("org_id"),
                     Organization.street.alias("street_id"))
        .join(last, on=((Event.organization == last.c.org_id) & (Event.starts_at == last.c.last)))
        .switch(Event).join(Organization, on=(Event.organization == Organization.id))
        .where(Event.status.in_(HELD), Organization.status == OrgStatus.ACTIVE, Organization.street.in_(streets),
               last.c.last < now - datetime.timedelta(days=days))
        .order_by(Event.id).dicts()
    )
    findings = {}
    for row in stale:
        idle = (now - row["starts_at"]).days
        reason = _("最近一次已发布的活动在 %(day)s，已 %(n)s 天没有活动（超过 %(limit)s 天即提示）",
                   day=day(row["starts_at"]), n=idle, limit=days)
        findings[("zombie", row["org_id"], "org")] = Finding(
            row["street_id"], reason,
            {"last_event": event_row(row["id"], row["title"], row["starts_at"]), "days": idle, "limit": days},
            basis=f"last:{row['id']}")
    held = Event.select(Event.id).where(Event.organization == Organization.id, Event.status.in_(HELD))
    never = (
        Organization.select(Organization.id, Organization.street, Organization.created_at)
        .where(Organization.status == OrgStatus.ACTIVE, Organization.street.in_(streets),
               Organization.created_at <= now - datetime.timedelta(days=ZOMBIE_NEW_DAYS), ~fn.EXISTS(held))
    )
    for org in never:
        age = (now - org.created_at).days
        reason = _("登记于 %(day)s，已 %(n)s 天，还没有发布过活动", day=day(org.created_at), n=age)
        findings[("zombie", org.id, "org")] = Finding(
            org.street_id, reason, {"registered": day(org.created_at), "days": age}, basis="none")
    return findings


# --- 报告逾期 -----------------------------------------------------------------------------------------------------


def report_overdue(streets, now):
    """Ended events whose report was not handed in REPORT_DUE_DAYS after the end (blueprints/reports' rule)."""
    due_days = int(current_app.config.get("REPORT_DUE_DAYS", 7))
    rows = (overdue_events(now).select(Event.id, Event.title, Event.starts_at, Event.ends_at, Event.street,
                                       Event.organization, Report.status.alias("report_status"))
            .where(Event.street.in_(streets)).dicts())
    findings = {}
    for row in rows:
        due = row["ends_at"] + datetime.timedelta(days=due_days)
        late = max((now - due).days, 1)
        reason = _("活动「%(title)s」于 %(end)s 结束，报告应在 %(due)s 前提交，已逾期 %(n)s 天",
                   title=row["title"], end=day(row["ends_at"]), due=day(due), n=late)
        data = {"event": event_row(row["id"], row["title"], row["starts_at"]), "ended": day(row["ends_at"]),
                "due": day(due), "days_overdue": late, "report": row["report_status"] or "none"}
        findings[("report_overdue", row["organization"], f"event:{row['id']}")] = Finding(
            row["street"], reason, data, basis=f"event:{row['id']}", event_id=row["id"])
    return findings


# --- 零签到 -------------------------------------------------------------------------------------------------------


def zero_checkin(streets, now):
    """Events that ended in the last SIGNAL_LOOKBACK_DAYS with no check-in (undone ones do not count)."""
    lookback = setting("SIGNAL_LOOKBACK_DAYS")
    counted = CheckIn.select(CheckIn.id).where(CheckIn.event == Event.id, CheckIn.undone_at.is_null())
    rows = (
        Event.select(Event.id, Event.title, Event.starts_at, Event.ends_at, Event.street, Event.organization)
        .where(Event.status.in_(HELD), Event.ends_at <= now, Event.ends_at >= now - datetime.timedelta(days=lookback),
               Event.street.in_(streets), ~fn.EXISTS(counted))
        .order_by(Event.id).dicts()
    )
    findings = {}
    for row in rows:
        reason = _("活动「%(title)s」于 %(end)s 结束，没有一人签到", title=row["title"], end=day(row["ends_at"]))
        findings[("zero_checkin", row["organization"], f"event:{row['id']}")] = Finding(
            row["street"], reason, {"event": event_row(row["id"], row["title"], row["starts_at"]), "checkins": 0},
            basis=f"event:{row['id']}", event_id=row["id"])
    return findings


# --- 签到异常 -----------------------------------------------------------------------------------------------------


def bursts(times, count, seconds):
    """The windows of ``seconds`` holding ``count`` or more of ``times`` [(created_at, id)], sorted; merged where
    they overlap: [(first, last, number, newest id)]."""
    spans, start = [], 0
    window = datetime.timedelta(seconds=seconds)
    for end in range(len(times)):
        while times[end][0] - times[start][0] > window:
            start += 1
        if end - start + 1 >= count:
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
    return [(times[a][0], times[b][0], b - a + 1, max(i for _t, i in times[a:b + 1])) for a, b in spans]


def _entry(events, event_id):
    return events.setdefault(event_id, {"bursts": [], "overlaps": [], "overlap_count": 0, "newest": 0})


def _bursts_by_event(events, streets, recent, count, seconds):
    """Bursts from one device or one address at an event, into ``events``: candidates first (one grouped query),
    then the times of those groups only."""
    for source in ("device", "address"):
        column = getattr(CheckIn, source)
        candidates = (CheckIn.select(CheckIn.event, column).join(Event)
                      .where(recent, column.is_null(False), Event.street.in_(streets))
                      .group_by(CheckIn.event, column).having(fn.COUNT(CheckIn.id) >= count))
        pairs = set(candidates.tuples())
        if not pairs:
            continue
        times = defaultdict(list)
        rows = (CheckIn.select(CheckIn.event, column, CheckIn.created_at, CheckIn.id)
                .where(recent, CheckIn.event.in_({e for e, _v in pairs}), column.in_({v for _e, v in pairs}))
                .order_by(CheckIn.created_at, CheckIn.id).tuples())
        for event_id, value, created_at, checkin_id in rows:
            if (event_id, value) in pairs:
                times[(event_id, value)].append((created_at, checkin_id))
        for (event_id, value), stamps in sorted(times.items()):
            for first, last, n, newest in bursts(stamps, count, seconds):
                item = _entry(events, event_id)
                item["bursts"].append({"source": source, "key": value[:8], "count": n, "from": moment(first),
                                       "to": moment(last), "seconds": int((last - first).total_seconds())})
                item["newest"] = max(item["newest"], newest)


def _overlaps_by_event(events, streets, recent):
    """Phones checked in at an event and at another whose times overlap, into ``events`` (masked)."""
    other, other_event = CheckIn.alias("other"), Event.alias("other_event")
    rows = (
        CheckIn.select(CheckIn.event, other.event.alias("other_id"), CheckIn.phone, other.id.alias("newest"),
                       other_event.title.alias("other_title"), other_event.starts_at.alias("other_starts"))
        .join(Event, on=(CheckIn.event == Event.id))
        .join(other, on=((other.phone == CheckIn.phone) & (other.event != CheckIn.event)))
        .join(other_event, on=(other.event == other_event.id))
        .where(recent, other.undone_at.is_null(), CheckIn.phone.is_null(False), Event.street.in_(streets),
               Event.starts_at < other_event.ends_at, other_event.starts_at < Event.ends_at)
        .order_by(CheckIn.event, other.id).dicts()
    )
    for row in rows:
        item = _entry(events, row["event"])
        if len(item["overlaps"]) < ROWS_KEPT:
            other_row = event_row(row["other_id"], row["other_title"], row["other_starts"])
            item["overlaps"].append({"phone": mask_phone(row["phone"]), "other_event": other_row})
        item["overlap_count"] += 1
        item["newest"] = max(item["newest"], row["newest"])


def _anomaly_reason(title, item):
    parts = []
    for burst in item["bursts"]:
        where = _("同一设备") if burst["source"] == "device" else _("同一网络地址")
        parts.append(_("%(where)s在 %(s)s 秒内签到 %(n)s 次（%(when)s）", where=where, s=max(burst["seconds"], 1),
                       n=burst["count"], when=burst["from"]))
    if item["overlap_count"]:
        parts.append(ngettext("%(num)s 人次的手机号同时在时间重叠的另一场活动签到",
                              "%(num)s 人次的手机号同时在时间重叠的另一场活动签到", item["overlap_count"]))
    return _("活动「%(title)s」：%(what)s", title=title, what=_("；").join(parts))


def checkin_anomaly(streets, now):
    """Per event: SIGNAL_BURST_COUNT or more check-ins from one device (or one address) within SIGNAL_BURST_SECONDS;
    and phones checked in at two events whose times overlap (check-ins of the last SIGNAL_LOOKBACK_DAYS)."""
    count, seconds = setting("SIGNAL_BURST_COUNT"), setting("SIGNAL_BURST_SECONDS")
    since = now - datetime.timedelta(days=setting("SIGNAL_LOOKBACK_DAYS"))
    recent = CheckIn.undone_at.is_null() & (CheckIn.created_at >= since)
    # event id → {"bursts": [...], "overlaps": [...], "overlap_count": n, "newest": the newest check-in id in them}:
    # a new burst or overlap has a newer check-in, so it opens a signal closed as looked at again.
    events = {}
    _bursts_by_event(events, streets, recent, count, seconds)
    _overlaps_by_event(events, streets, recent)
    if not events:
        return {}
    findings = {}
    rows = Event.select(Event.id, Event.title, Event.starts_at, Event.street, Event.organization).where(
        Event.id.in_(list(events))).dicts()
    for row in rows:
        item = events[row["id"]]
        data = {"event": event_row(row["id"], row["title"], row["starts_at"]), "bursts": item["bursts"][:ROWS_KEPT],
                "overlaps": item["overlaps"], "overlap_count": item["overlap_count"],
                "limit": {"count": count, "seconds": seconds}}
        findings[("checkin_anomaly", row["organization"], f"event:{row['id']}")] = Finding(
            row["street"], _anomaly_reason(row["title"], item), data, basis=f"newest:{item['newest']}",
            event_id=row["id"])
    return findings


# --- 频繁取消 -----------------------------------------------------------------------------------------------------


def cancellations(streets, now):
    """Organizations that cancelled SIGNAL_CANCEL_COUNT or more events in SIGNAL_CANCEL_DAYS (by the cancellation's
    time: the event's last update)."""
    count, days = setting("SIGNAL_CANCEL_COUNT"), setting("SIGNAL_CANCEL_DAYS")
    cancelled = (Event.status == EventStatus.CANCELLED) & (Event.updated_at >= now - datetime.timedelta(days=days))
    many = (Event.select(Event.organization).where(cancelled).group_by(Event.organization)
            .having(fn.COUNT(Event.id) >= count))
    rows = (
        Event.select(Event.id, Event.title, Event.starts_at, Event.updated_at, Event.cancel_reason,
                     Organization.id.alias("org_id"), Organization.street.alias("street_id"))
        .join(Organization, on=(Event.organization == Organization.id))
        .where(cancelled, Organization.street.in_(streets), Event.organization.in_(many))
        .order_by(Event.updated_at.desc(), Event.id.desc()).dicts()
    )
    by_org = defaultdict(list)
    for row in rows:
        by_org[(row["org_id"], row["street_id"])].append(row)
    findings = {}
    for (org_id, street_id), events in by_org.items():
        reason = ngettext("最近 %(days)s 天取消了 %(num)s 场活动", "最近 %(days)s 天取消了 %(num)s 场活动",
                          len(events), days=days)
        data = {"cancelled": [{**event_row(e["id"], e["title"], e["starts_at"]), "cancelled_at": day(e["updated_at"]),
                               "reason": e["cancel_reason"] or ""} for e in events[:ROWS_KEPT]],
                "count": len(events), "limit": {"count": count, "days": days}}
        findings[("cancellations", org_id, "org")] = Finding(
            street_id, reason, data, basis=f"newest:{max(e['id'] for e in events)}")
    return findings


# --- 年报未交 -----------------------------------------------------------------------------------------------------


def annual_report(streets, now):
    """After ANNUAL_REPORT_DUE of this year: active organizations registered before last year whose 年报 for last
    year the street has not recorded as filed."""
    local = to_local(now)
    month, day_of_month = (int(part) for part in setting("ANNUAL_REPORT_DUE").split("-"))
    due = datetime.datetime(local.year, month, day_of_month, 23, 59, 59)
    if local <= due:
        return {}
    year = local.year - 1
    rows = (
        Organization.select(Organization.id, Organization.street, Organization.annual_report_year)
        .where(Organization.status == OrgStatus.ACTIVE, Organization.street.in_(streets),
               Organization.created_at < to_utc(datetime.datetime(year, 1, 1)),
               Organization.annual_report_year.is_null() | (Organization.annual_report_year < year))
    )
    findings = {}
    for org in rows:
        last = (_("最近一次记录的是 %(y)s 年度", y=org.annual_report_year) if org.annual_report_year
                else _("从未记录报送"))
        reason = _("%(y)s 年度年报应在 %(due)s 前报送，尚未记录报送（%(last)s）",
                   y=year, due=day(to_utc(due)), last=last)
        findings[("annual_report", org.id, "org")] = Finding(
            org.street_id, reason, {"year": year, "due": day(to_utc(due)), "last_filed": org.annual_report_year},
            basis=f"year:{year}")
    return findings


KINDS = {
    "zombie": zombie,
    "report_overdue": report_overdue,
    "zero_checkin": zero_checkin,
    "checkin_anomaly": checkin_anomaly,
    "cancellations": cancellations,
    "annual_report": annual_report,
}


def findings(streets, now=None):
    """Every kind's findings over ``streets`` (ids, or a query of ids)."""
    now = now or utcnow()
    found = {}
    for compute in KINDS.values():
        found.update(compute(streets, now))
    return found

