"""Reads for the signals pages: the street's signals by kind and by organization, the district's counts."""
import json

from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from models import SIGNAL_KINDS, SIGNAL_STATUSES, Organization, Signal, Street, User

KIND_LABELS = {
    "zombie": _l("疑似僵尸"),
    "report_overdue": _l("报告逾期"),
    "zero_checkin": _l("零签到"),
    "checkin_anomaly": _l("签到异常"),
    "cancellations": _l("频繁取消"),
    "annual_report": _l("年报未交"),
}
STATUS_LABELS = {"open": _l("待查看"), "closed": _l("已查看"), "cleared": _l("已消除")}
assert set(KIND_LABELS) == set(SIGNAL_KINDS) and set(STATUS_LABELS) == set(SIGNAL_STATUSES)


def open_count(street):
    """Open signals of ``street``: 风险提示 N on its console."""
    return Signal.select().where(Signal.street == street, Signal.status == "open").count()


def counts_by_kind(street, status):
    """{kind: n} of the street's signals in ``status`` (one grouped query)."""
    rows = (Signal.select(Signal.kind, fn.COUNT(Signal.id)).where(Signal.street == street, Signal.status == status)
            .group_by(Signal.kind).tuples())
    return dict(rows)


def street_signals(street, kind, status):
    """The street's signals in ``status`` (of ``kind`` if given), with their organizations, by organization."""
    query = (Signal.select(Signal, Organization, User, Street)
             .join(Organization, on=(Signal.organization == Organization.id))
             .join_from(Signal, Street, on=(Signal.street == Street.id))
             .join_from(Signal, User, JOIN.LEFT_OUTER, on=(Signal.closed_by == User.id), attr="closed_by")
             .where(Signal.street == street, Signal.status == status))
    if kind:
        query = query.where(Signal.kind == kind)
    return query.order_by(Organization.name, Organization.id, Signal.kind, Signal.raised_at.desc(), Signal.id)


def district_signals(streets, kind=""):
    """The open signals of the streets of the query ``streets`` (of ids), with their organizations, streets and
    closers, street by street and by organization."""
    query = (Signal.select(Signal, Organization, Street, User)
             .join(Organization, on=(Signal.organization == Organization.id))
             .join_from(Signal, Street, on=(Signal.street == Street.id))
             .join_from(Signal, User, JOIN.LEFT_OUTER, on=(Signal.closed_by == User.id), attr="closed_by")
             .where(Signal.street.in_(streets), Signal.status == "open"))
    if kind:
        query = query.where(Signal.kind == kind)
    return query.order_by(Street.code, Organization.name, Organization.id, Signal.kind, Signal.id)


def district_counts(streets):
    """{(street id, kind): n} of the open signals of ``streets`` (one grouped query)."""
    rows = (Signal.select(Signal.street, Signal.kind, fn.COUNT(Signal.id))
            .where(Signal.street.in_(streets), Signal.status == "open").group_by(Signal.street, Signal.kind).tuples())
    return {(street_id, kind): n for street_id, kind, n in rows}


def data_of(signal):
    """The data behind a signal, as stored (a dict; an empty one if unreadable)."""
    try:
        data = json.loads(signal.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def open_by_street(streets):
    """[(street, n)] of the open signals of ``streets`` that have any (one grouped query): 待办 on the home page."""
    if not streets:
        return []
    rows = dict(Signal.select(Signal.street, fn.COUNT(Signal.id))
                .where(Signal.street.in_([s.id for s in streets]), Signal.status == "open")
                .group_by(Signal.street).tuples())
    return [(street, rows[street.id]) for street in streets if rows.get(street.id)]
