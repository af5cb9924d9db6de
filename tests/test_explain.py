"""The hot queries read an index, on SQLite and on PostgreSQL, so that a change cannot quietly drop one.

SQLite: EXPLAIN QUERY PLAN names the index it searches. PostgreSQL: a test table is too small for the planner to
prefer an index over reading it whole, so the tables are analyzed and the plan is asked with sequential scans
discouraged (enable_seqscan off, inside the test's transaction); it still names no index when there is none to use.
"""
import datetime
import re

import pytest
from peewee import PostgresqlDatabase
from playhouse.shortcuts import model_to_dict

from blueprints.checkins.volunteer_views import roster_page
from models import CheckIn, Event, db

MINUTE = datetime.timedelta(minutes=1)


def plan(query):
    """The plan of ``query`` (a peewee select) as one text, whichever the database."""
    sql, params = query.sql()
    if isinstance(db.obj, PostgresqlDatabase):
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            rows = db.execute_sql("EXPLAIN " + sql, params).fetchall()
        return "\n".join(row[0] for row in rows)
    return "\n".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())


def uses(query, *columns, alternative=None):
    """Assert the plan of ``query`` reads an index of its table that starts with ``columns`` (or with the columns
    ``alternative``, as good a way to the rows); the plan."""
    text = plan(query)
    table = query.model._meta.table_name
    wanted = [columns] + ([alternative] if alternative else [])
    names = [i.name for i in db.get_indexes(table) if any(tuple(i.columns[:len(w)]) == w for w in wanted)]
    assert names, f"{table} has no index on {columns}"
    assert any(re.search(rf"\b{name}\b", text) for name in names), (
        f"no index of {table} on {columns} ({', '.join(names)}) in the plan:\n{text}"
    )
    return text


@pytest.fixture
def event(make_org, make_event, org_admin):
    """An open event with 2,000 check-ins, among 40 events; on PostgreSQL the tables analyzed, so that the planner
    weighs the indexes by what they hold rather than by a guess about empty tables."""
    org = make_org("xinhua", admin=org_admin, name="睦邻互助会")
    for n in range(40):
        make_event(org, status="ended" if n % 2 else "draft", starts_in=-(n + 1) * 1440 * MINUTE)
    others = make_org("tianshan", name="天山邻里中心")  # the district's other events, in the same table
    copy = {k: v for k, v in model_to_dict(Event.get(Event.organization == org), recurse=False).items() if k != "id"}
    with db.atomic():
        Event.insert_many([
            {**copy, "organization": others.id, "checkin_token": f"t{n}", "starts_at": copy["starts_at"] - n * MINUTE}
            for n in range(600)
        ]).execute()
    event = make_event(org, title="长者智能手机课堂", status="published", starts_in=-10 * MINUTE, hours=2)
    rows = [{"event": event.id, "name": f"居民{n}", "phone": f"139{n:08d}", "number": n, "device": f"{n % 500:064d}"}
            for n in range(1, 2001)]
    with db.atomic():
        for i in range(0, len(rows), 200):
            CheckIn.insert_many(rows[i:i + 200]).execute()
    if isinstance(db.obj, PostgresqlDatabase):
        db.execute_sql("ANALYZE event")
        db.execute_sql("ANALYZE check_in")
    return event


def test_the_event_of_a_check_in_code(event):
    uses(Event.select(Event.id).where(Event.checkin_token == event.checkin_token), "checkin_token")


def test_a_phone_at_an_event(event):
    # The unique (event, phone), or the phone's own index: PostgreSQL finds the one row either way.
    query = CheckIn.select().where(CheckIn.event == event, CheckIn.phone == "13812341234")
    uses(query, "event_id", "phone", alternative=("phone",))


def test_the_public_list_of_upcoming_events(event):
    # Read in start order from (status, starts_at): no sort of all the district's published events.
    text = uses(Event.upcoming(), "status", "starts_at")
    if not isinstance(db.obj, PostgresqlDatabase):
        assert "TEMP B-TREE FOR ORDER BY" not in text or "RIGHT PART OF ORDER BY" in text


def test_the_check_ins_of_this_device(event):
    # /me/: the device's own check-ins, by the keyed hash of its device cookie.
    uses(CheckIn.select().where(CheckIn.device == "ab" * 32, CheckIn.erased_at.is_null()), "device")


def test_the_check_ins_of_a_phone(event):
    # The signals' and the erasure's lookups of one phone across events.
    uses(CheckIn.select().where(CheckIn.phone == "13812341234"), "phone")


def test_a_page_of_the_roster(event):
    query = CheckIn.select().where(CheckIn.event == event).order_by(CheckIn.number.desc()).limit(51)
    uses(query.where(CheckIn.number < 100), "event_id", "number")
    checkins, more = roster_page(event)
    assert [c.number for c in checkins] == list(range(2000, 1950, -1)) and more


def test_an_organizations_events_newest_first(event):
    query = Event.select().where(Event.organization == event.organization_id).order_by(Event.starts_at.desc())
    # PostgreSQL sorts an organization's few dozen events found by its foreign key's index; many more, it reads
    # (organization_id, starts_at) backwards.
    uses(query.limit(21), "organization_id", "starts_at", alternative=("organization_id",))


def test_the_check_ins_an_account_recorded_or_undid(event, org_admin):
    # What ON DELETE SET NULL of an account looks for, from indexes that hold only the check-ins volunteers touched.
    uses(CheckIn.select().where(CheckIn.recorded_by == org_admin.id), "recorded_by_id")
    uses(CheckIn.select().where(CheckIn.undone_by == org_admin.id), "undone_by_id")


def test_an_events_check_ins_with_no_index_of_the_event_alone(event):
    # The event's check-ins (the roster's count, an event's bursts, its deletion) come from the indexes that start
    # with the event; none of its own is written by every check-in.
    assert not [i.name for i in db.get_indexes("check_in") if tuple(i.columns) == ("event_id",)]
    uses(CheckIn.select().where(CheckIn.event == event), "event_id")


def test_a_residents_check_in_writes_only_the_indexes_its_queries_read(app):
    """Each index of check_in is written by every check-in of a crowd at once: the full ones are these, and the two
    volunteers' columns are indexed only where set (a resident's own check-in sets neither)."""
    full = sorted(
        tuple(i.columns) for i in db.get_indexes("check_in")
        if not re.search(r"\bWHERE\b", i.sql, re.I) and not i.name.endswith("_pkey")  # PostgreSQL's primary key
    )
    assert full == sorted([
        ("created_at", "event_id", "undone_at"), ("device",), ("event_id", "created_at", "undone_at"),
        ("event_id", "number"), ("event_id", "phone"), ("idempotency_key",), ("phone",),
    ])
    partial = {i.name for i in db.get_indexes("check_in") if re.search(r"\bWHERE\b", i.sql, re.I)}
    assert partial == {"check_in_recorded_by_id_set", "check_in_undone_by_id_set"}
