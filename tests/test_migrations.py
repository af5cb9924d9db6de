"""The schema comes only from migrations/: applied to an empty database, it matches the models exactly."""
import datetime
import os

import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner
from playhouse.schema_diff import diff_models

from models import MODELS, CheckInCounter, District, Event, Organization, Street, db
from tests.conftest import MIGRATIONS, PG_URL, pg_url, reset_pg_schema


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        database = SqliteDatabase(str(tmp_path / "empty.db"), pragmas={"foreign_keys": 1})
    else:
        from playhouse.db_url import connect

        schema = f"ningshe_migcheck_{os.getpid()}"
        reset_pg_schema(schema)
        database = connect(pg_url(schema))
    previous = db.obj
    db.initialize(database)
    yield database
    database.close()
    db.initialize(previous)
    if request.param == "postgresql":
        reset_pg_schema(schema, create=False)


def column_signature(database, model):
    """(name, nullable, primary key) of each column, and the foreign keys, as the database reports them."""
    table = model._meta.table_name
    columns = {(c.name, c.null, c.primary_key) for c in database.get_columns(table)}
    fks = {(fk.column, fk.dest_table, fk.dest_column) for fk in database.get_foreign_keys(table)}
    return columns, fks


def test_migrations_build_exactly_the_models(empty_database):
    assert empty_database.get_tables() == []
    applied = Runner(empty_database, MIGRATIONS).up()
    assert applied[0] == "0001_initial"

    diff = diff_models(empty_database, MODELS)
    assert not diff, f"models and migrations disagree:\n{diff}"
    for model in MODELS:
        columns, fks = column_signature(empty_database, model)
        expected = {(f.column_name, f.null, f.primary_key) for f in model._meta.sorted_fields}
        assert columns == expected, model.__name__
        expected_fks = {
            (f.column_name, f.rel_model._meta.table_name, f.rel_field.column_name) for f in model._meta.refs
        }
        assert fks == expected_fks, model.__name__


def test_migrations_seed_changning_and_its_ten_streets(empty_database):
    Runner(empty_database, MIGRATIONS).up()
    changning = District.get(District.code == "310105")
    assert changning.name == "长宁区"
    streets = {s.code: (s.slug, s.name) for s in Street.select().where(Street.district == changning)}
    assert len(streets) == 10
    assert streets["310105004"] == ("xinhua", "新华路街道")
    assert streets["310105102"] == ("xinjing", "新泾镇")
    assert len({slug for slug, _ in streets.values()}) == 10


def test_status_shows_nothing_pending_after_upgrade_and_migrations_revert(empty_database):
    runner = Runner(empty_database, MIGRATIONS)
    assert all(m.applied is None for m in runner.status())
    runner.up()
    assert all(m.applied for m in runner.status())
    runner.down("0001_initial")
    assert [t for t in empty_database.get_tables() if t != "schema_migration"] == []



def test_the_check_in_counters_move_to_their_own_table_and_back(empty_database):
    """0023 carries each event's counter over (an event with none has no row); reverting it carries them back."""
    runner = Runner(empty_database, MIGRATIONS)
    runner.up()
    street = Street.select().first()
    organization = Organization.create(name="睦邻互助会", kind="social", street=street, contact_name="王芳",
                                       contact_phone="13800000001")
    start = datetime.datetime(2026, 11, 28, 6)
    events = [
        Event.create(organization=organization, title=title, category="elderly", starts_at=start,
                     ends_at=start + datetime.timedelta(hours=2), venue="某处", street=street, status="published")
        for title in ("长者智能手机课堂", "读书会")
    ]
    CheckInCounter.create(event=events[0], last=7)

    runner.down("0022_checkin_write_indexes")
    assert "check_in_counter" not in empty_database.get_tables()
    counters = empty_database.execute_sql("SELECT id, checkin_counter FROM event ORDER BY id").fetchall()
    assert counters == [(events[0].id, 7), (events[1].id, 0)]

    runner.up()
    assert [(c.event_id, c.last) for c in CheckInCounter.select()] == [(events[0].id, 7)]
    assert "checkin_counter" not in {c.name for c in empty_database.get_columns("event")}
