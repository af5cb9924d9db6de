"""Fixtures: an app on a fresh database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is set),
factories for streets, users and organizations, and a login helper.

The migrations run once per session and database back-end: SQLite copies a migrated template file for each test,
PostgreSQL empties the tables of one migrated schema before each test. The apps of all tests share their compiled
templates and URL builders, which are the same for every app.
"""
import datetime
import functools
import itertools
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import quote

import jinja2
import pytest
from peewee import sort_models
from playhouse.migrations import Runner
from werkzeug.routing.rules import Rule

from app import create_app
from models import MODELS, District, Event, Membership, Organization, Street, User, db, utcnow

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = str(ROOT / "migrations")
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
#: One schema per test run, so that runs side by side never share tables.
PG_SCHEMA = f"ningshe_test_{os.getpid()}"
PASSWORD = "secret-pass-1"


def pytest_report_header(config):
    return "databases: " + ", ".join(BACKENDS)


def pg_url(schema):
    """TEST_DATABASE_URL with its search_path set to ``schema``, so tests never touch other schemas.

    Commits do not wait for the disk (synchronous_commit off, for these connections only): a test database need
    not survive a crash of the server, and most of what a test does is commit.
    """
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema} -csynchronous_commit=off')}"


def reset_pg_schema(schema, create=True):
    from playhouse.db_url import connect

    admin = connect(PG_URL)
    admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    if create:
        admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    """Each test runs once per database back-end; PostgreSQL migrates its schema once per session."""
    if request.param == "postgresql":
        reset_pg_schema(PG_SCHEMA)
        app = create_app(config_for(pg_url(PG_SCHEMA)))
        with app.app_context():
            Runner(db.obj, MIGRATIONS).up()
            db.close()
    yield request.param
    if request.param == "postgresql":
        db.close()
        reset_pg_schema(PG_SCHEMA, create=False)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite database file migrated once per session; each test gets a copy of it.

    The write-ahead log is checkpointed into the file and the connection closed (which removes -wal and -shm),
    so the file alone holds everything.
    """
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    create_app(config_for(f"sqlite:///{path}"))
    Runner(db.obj, MIGRATIONS).up()
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    leftovers = [p.name for p in path.parent.iterdir() if p != path and p.stat().st_size]
    assert not leftovers, f"the template database left state beside its file: {leftovers}"
    return path


def config_for(url):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
    }


@functools.cache
def pg_cleanup_sql():
    """Empty every table but the seeded district and streets (and drop districts added by a test), then number
    the emptied tables' rows from 1 again.

    DELETE in one round trip rather than TRUNCATE: on the few rows a test leaves it is many times faster.
    """
    emptied = [m for m in reversed(sort_models(MODELS)) if m not in (District, Street)]
    statements = [f'DELETE FROM "{m._meta.table_name}"' for m in emptied]
    statements += [
        "DELETE FROM street WHERE district_id NOT IN (SELECT id FROM district WHERE code = '310105')",
        "DELETE FROM district WHERE code <> '310105'",
        "SELECT " + ", ".join(
            f"setval(pg_get_serial_sequence('\"{m._meta.table_name}\"', '{m._meta.primary_key.column_name}'), 1, false)"
            for m in emptied
        ),
    ]
    return "; ".join(statements)


def clean_pg():
    """Empty the tables as pg_cleanup_sql() says, in one transaction."""
    with db.atomic():
        db.execute_sql(pg_cleanup_sql())


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode in memory, keyed by template and checked against the source as Jinja always does."""

    def __init__(self):
        self.codes = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.codes:
            bucket.bytecode_from_string(self.codes[bucket.key])

    def dump_bytecode(self, bucket):
        self.codes[bucket.key] = bucket.bytecode_to_string()


#: Compiled templates, shared by every test's app: compiling them anew for each test costs more than most tests.
TEMPLATE_BYTECODE = SharedBytecodeCache()


def share_url_builders():
    """werkzeug compiles two small Python functions for each URL rule of each app: for the app every test builds,
    that is three quarters of create_app's time. A rule with the same parts and defaults always compiles to the
    same function (it takes the rule as its first argument), so each is compiled once per session."""
    compile_builder = Rule._compile_builder
    builders = {}

    def shared(self, append_unknown=True):
        defaults = self.defaults or {}
        # What the compiled function depends on: werkzeug reads the rule's parts, its defaults' names, and the
        # defaults of its variables (as URL text).
        key = (
            append_unknown, tuple(self._trace), tuple(str(name) for name in defaults),
            tuple(self._converters[part].to_url(defaults[part]) for dynamic, part in self._trace
                  if dynamic and part in defaults),
        )
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = shared


if hasattr(Rule, "_compile_builder"):  # a private method of werkzeug's: without it, every app compiles its own
    share_url_builders()


@pytest.fixture
def app_config():
    """Extra configuration for one test module: override this fixture."""
    return {}


@pytest.fixture
def app(request, backend, tmp_path, app_config):
    if backend == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = pg_url(PG_SCHEMA)
    # Uploads (photos, attachments, the demo's pictures) go to the test's own directory, never to instance/.
    app = create_app({**config_for(url), "UPLOAD_DIR": str(tmp_path / "uploads"), **app_config})
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE
    if backend == "postgresql":
        clean_pg()
    # No app context stays pushed: requests must not share one (flask.g would leak between them).
    yield app
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):  # PostgreSQL's pool: leave no idle connections behind
        db.obj.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_phones = itertools.count(1)


def next_phone():
    return f"158{next(_phones):08d}"  # 11 digits however many accounts a whole run makes


@pytest.fixture
def street():
    """street('xinhua') → the seeded street with that slug."""
    return lambda slug="xinhua": Street.get(Street.slug == slug)


@pytest.fixture
def make_user(app):
    def make(role="member", street=None, name=None, phone=None, password=PASSWORD, **extra):
        if isinstance(street, str):
            street = Street.get(Street.slug == street)
        if role == "district_admin" and "district" not in extra:
            extra["district"] = District.get(District.code == "310105")
        user = User(name=name or f"用户{role}", phone=phone or next_phone(), role=role, street=street, **extra)
        user.set_password(password, "pbkdf2:sha256:1000")
        user.save()
        return user

    return make


@pytest.fixture
def org_admin(make_user):
    """The admin of the organization a test module's ``org`` fixture makes."""
    return make_user(name="组织管理员")


@pytest.fixture
def make_org(app, make_user):
    def make(street="xinhua", admin=None, status="active", name=None, kind="community", **extra):
        if isinstance(street, str):
            street = Street.get(Street.slug == street)
        admin = admin or make_user(name="组织管理员")
        org = Organization.create(
            name=name or f"测试组织{next(_phones)}", kind=kind, street=street, status=status,
            service_fields=extra.pop("service_fields", "elderly"), contact_name=admin.name,
            contact_phone=admin.phone, created_by=admin, **extra,
        )
        Membership.create(user=admin, organization=org, role="admin")
        return org

    return make


@pytest.fixture
def make_event(app):
    """make_event(org, status="published", starts_in=timedelta(days=1), hours=2, …) → an Event at the org's street."""

    def make(organization, status="published", starts_in=datetime.timedelta(days=1), hours=2, **extra):
        starts_at = utcnow().replace(microsecond=0) + starts_in
        values = dict(
            title=f"活动{next(_phones)}", description="", category="elderly", starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours), venue="愚园路 1000 号", street=organization.street,
            created_by=organization.memberships.get().user, status=status,
            published_at=utcnow() if status in ("published", "ended", "reported") else None,
        )
        values.update(extra)
        return Event.create(organization=organization, **values)

    return make


def login(client, user):
    """Sign ``user`` in on ``client`` through the session, as Flask-Login would."""
    token = User.get_by_id(user.id).session_token  # as stored now: logging out elsewhere may have changed it
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True


def run_threads(n, work, workers=None):
    """``work(i)`` for i < n on ``workers`` threads at once (all n when not given), like a server's worker pool; the
    results, and no exception (any one fails the test)."""
    workers = workers or n
    db.close()
    barrier = threading.Barrier(workers)
    todo, lock, results, errors = iter(range(n)), threading.Lock(), [], []

    def run():
        barrier.wait()
        try:
            while True:
                with lock:
                    i = next(todo, None)
                if i is None:
                    return
                try:
                    results.append(work(i))
                except Exception as exc:  # collected: any failure fails the test
                    errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    return results


def csrf_from(html):
    """The CSRF token a rendered page carries."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return match.group(1)
