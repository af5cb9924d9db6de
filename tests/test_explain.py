"""The hot queries read an index, on SQLite and on PostgreSQL, so that a change cannot quietly drop one.

SQLite: EXPLAIN QUERY PLAN names the index it searches. PostgreSQL: a test table is too small for the planner to
prefer an index over reading it whole, so the plan is asked with sequential scans discouraged (enable_seqscan off,
inside the test's transaction); it still names no index when there is none to use.
"""
import datetime

import pytest
from peewee import PostgresqlDatabase

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


def uses(query, *columns):
    """Assert the plan of ``query`` reads an index of its table that starts with ``columns``; the plan."""
    text = plan(query)
    table = query.model._meta.table_name
    names = [i.name for i in db.get_indexes(table) if tuple(i.columns[:len(columns)]) == columns]
    assert names, f"{table} has no index on {columns}"
    assert any(f"INDEX {name} " in text or f"using {name} " in text for name in names), (
        f"no index of {table} on {columns} ({', '.join(names)}) in the plan:\n{text}"
    )
    return text


@pytest.fixture
def event(make_org, make_event, org_admin):
    org = make_org("xinhua", admin=org_admin, name="睦邻互助会")
    return make_event(org, title="长者智能手机课堂", status="published", starts_in=-10 * MINUTE, hours=2)


def test_the_event_of_a_check_in_code(event):
    uses(Event.select(Event.id).where(Event.checkin_token == event.checkin_token), "checkin_token")


def test_a_phone_at_an_event(event):
    uses(CheckIn.select().where(CheckIn.event == event, CheckIn.phone == "13812341234"), "event_id", "phone")


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
    assert roster_page(event) == ([], False)


def test_an_organizations_events_newest_first(event):
    query = Event.select().where(Event.organization == event.organization_id).order_by(Event.starts_at.desc())
    uses(query.limit(21), "organization_id", "starts_at")
