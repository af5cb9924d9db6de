"""flask backup PATH / flask restore PATH: a consistent copy of the SQLite database taken while residents check in,
the uploaded files with it, and everything back in an empty instance. PostgreSQL is pointed at pg_dump."""
import datetime
import re
import shutil
import sqlite3
import threading
import time

import pytest

from app import create_app
from models import CheckIn, Event, Membership, Organization, Street, User, db, utcnow
from tests.conftest import config_for

MINUTE = datetime.timedelta(minutes=1)
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def instance(tmp_path, name, template=None):
    """An app on a SQLite file of its own, as one server runs it: instance/<name>/ningshe.db and uploads/."""
    home = tmp_path / name
    home.mkdir()
    if template:
        shutil.copyfile(template, home / "ningshe.db")
    app = create_app({**config_for(f"sqlite:///{home}/ningshe.db"), "UPLOAD_DIR": str(home / "uploads")})
    return app, home


@pytest.fixture
def live(tmp_path, sqlite_template):
    """A serving instance with an event open for check-in, and a long history of check-ins at an earlier one
    (so that the copy takes a while)."""
    app, home = instance(tmp_path, "live", sqlite_template)
    with app.app_context():
        admin = User.create(name="组织管理员", phone="13800000001", password_hash="x")
        org = Organization.create(
            name="睦邻互助会", kind="community", street=Street.get(Street.slug == "xinhua"), status="active",
            service_fields="elderly", contact_name=admin.name, contact_phone=admin.phone, created_by=admin,
        )
        Membership.create(user=admin, organization=org, role="admin")
        past = event_of(org, admin, utcnow() - 30 * DAY)
        CheckIn.insert_many(
            [{"event": past.id, "name": "居民", "phone": f"139{i:08d}", "number": i + 1, "created_at": utcnow()}
             for i in range(20000)]
        ).execute()
        event = event_of(org, admin, utcnow() - 10 * MINUTE)
    yield app, home, event
    db.close()


def event_of(org, admin, starts_at):
    return Event.create(
        organization=org, title="长者智能手机课堂", description="", category="elderly", starts_at=starts_at,
        ends_at=starts_at + 2 * HOUR, venue="愚园路 1000 号", street=org.street, created_by=admin,
        status="published", published_at=starts_at - DAY,
    )


def check_in(client, url, phone):
    """A resident on a phone of their own: opens the page, fills in the form, taps 签到."""
    html = client.get(url).get_data(as_text=True)
    tags = [tag for tag in re.findall(r"<input[^>]*>", html) if 'type="hidden"' in tag]
    hidden = {re.search(r'name="([^"]+)"', tag).group(1): re.search(r'value="([^"]*)"', tag).group(1) for tag in tags}
    return client.post(url, data={**hidden, "name": "李秀英", "phone": phone, "consent": "y"})


def wait_for(condition, failures, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert not failures and time.monotonic() < deadline, f"check-ins refused: {failures[:5]}"
        time.sleep(0.01)


def test_a_backup_taken_during_a_burst_of_check_ins_restores_every_acknowledged_one(tmp_path, live):
    app, home, event = live
    acknowledged, failures, stop = [], [], threading.Event()

    def resident(worker):
        """Checks in one new resident after another, from a new phone each time, as fast as the app answers."""
        n = 0
        while not stop.is_set():
            phone = f"13{worker}{n:08d}"
            n += 1
            response = check_in(app.test_client(), f"/c/{event.checkin_token}", phone)
            if response.status_code == 200 and "签到成功" in response.get_data(as_text=True):
                acknowledged.append(phone)
            else:
                failures.append((phone, response.status_code))
        db.close()

    workers = [threading.Thread(target=resident, args=(w,)) for w in range(1, 5)]
    for w in workers:
        w.start()
    try:
        wait_for(lambda: len(acknowledged) >= 40, failures)
        before = list(acknowledged)  # acknowledged before the backup starts: each must come back
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
        during = len(acknowledged)
        wait_for(lambda: len(acknowledged) >= during + 40, failures)
    finally:
        stop.set()
        for w in workers:
            w.join()
    assert result.exit_code == 0, result.output
    assert "backup written to" in result.output and "check_in" in result.output
    assert not failures, f"check-ins refused while the backup ran: {failures[:5]}"
    assert during > len(before), "residents went on checking in while the backup was written"
    db.close()

    fresh, fresh_home = instance(tmp_path, "fresh")
    result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(fresh_home / "ningshe.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        restored = {row[0] for row in conn.execute("SELECT phone FROM check_in WHERE event_id = ?", (event.id,))}
    conn.close()
    assert set(before) <= restored, f"{len(set(before) - restored)} acknowledged check-ins lost"
    assert restored <= set(acknowledged)  # nothing that was never acknowledged
    # The restored instance serves: the organizer still sees the roster, the count is right.
    with fresh.app_context():
        assert CheckIn.select().where(CheckIn.event == event.id).count() == len(restored)
        assert Organization.get(Organization.name == "睦邻互助会").street.slug == "xinhua"
    assert fresh.test_client().get(f"/c/{event.checkin_token}").status_code == 200


def test_uploaded_files_go_into_the_backup_and_come_back(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    (home / "uploads" / "ab").mkdir(parents=True)
    (home / "uploads" / "ab" / "photo-1.jpg").write_bytes(b"\xff\xd8 a photo")
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")])
    assert result.exit_code == 0 and "uploads: 1 files" in result.output
    db.close()

    fresh, fresh_home = instance(tmp_path, "fresh")
    result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert (fresh_home / "uploads" / "ab" / "photo-1.jpg").read_bytes() == b"\xff\xd8 a photo"
    db.close()


def test_without_an_upload_directory_the_backup_is_the_database_alone(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == ["ningshe.db"]
    db.close()


def test_a_backup_never_writes_over_another(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "monday")]).exit_code == 0
    kept = (tmp_path / "monday" / "ningshe.db").read_bytes()
    result = runner.invoke(args=["backup", str(tmp_path / "monday")])
    assert result.exit_code != 0 and "is not empty" in result.output
    assert (tmp_path / "monday" / "ningshe.db").read_bytes() == kept
    db.close()


def test_restore_keeps_a_database_that_holds_data_unless_forced(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    with app.app_context():
        User.create(name="原有账号", phone="13900001111", password_hash="x")
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    db.close()

    other, other_home = instance(tmp_path, "other", sqlite_template)
    with other.app_context():
        User.create(name="另一个账号", phone="13900002222", password_hash="x")
        Membership.select().count()  # the database is open and in use
    runner = other.test_cli_runner()
    refused = runner.invoke(args=["restore", str(tmp_path / "backup")])
    assert refused.exit_code != 0 and "already holds data" in refused.output and "--force" in refused.output
    with other.app_context():
        assert [u.name for u in User.select()] == ["另一个账号"]
    forced = runner.invoke(args=["restore", "--force", str(tmp_path / "backup")])
    assert forced.exit_code == 0, forced.output
    with other.app_context():
        assert [u.name for u in User.select()] == ["原有账号"]
        assert Street.select().count() == 10
    db.close()


def test_a_freshly_migrated_database_counts_as_empty(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    db.close()
    fresh, _ = instance(tmp_path, "fresh", sqlite_template)  # migrated: only the seeded district and streets
    assert fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")]).exit_code == 0
    db.close()


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(tmp_path, sqlite_template):
    (tmp_path / "junk").mkdir()
    fresh, fresh_home = instance(tmp_path, "fresh")
    runner = fresh.test_cli_runner()
    result = runner.invoke(args=["restore", str(tmp_path / "junk")])
    assert result.exit_code != 0 and "not a directory written by `flask backup`" in result.output
    (tmp_path / "junk" / "ningshe.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = runner.invoke(args=["restore", str(tmp_path / "junk")])
    assert result.exit_code != 0 and "nothing was changed" in result.output
    assert not (fresh_home / "ningshe.db").exists()
    db.close()


def test_backup_is_also_a_db_subcommand(tmp_path, sqlite_template):
    app, home = instance(tmp_path, "live", sqlite_template)
    result = app.test_cli_runner().invoke(args=["db", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0 and (tmp_path / "backup" / "ningshe.db").is_file()
    db.close()


@pytest.mark.parametrize("command", [["backup", "/tmp/nowhere"], ["restore", "."]])
def test_on_postgresql_both_commands_point_to_pg_dump(command):
    # No server is needed: the commands refuse before they connect.
    app = create_app(config_for("postgresql://postgres@127.0.0.1:1/ningshe"))
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 1
    assert "pg_dump -Fc" in result.output and "pg_restore" in result.output and "UPLOAD_DIR" in result.output
