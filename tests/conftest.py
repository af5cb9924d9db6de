"""Fixtures: an app on a fresh database per test (SQLite always, PostgreSQL when TEST_DATABASE_URL is set),
factories for streets, users and organizations, and a login helper."""
import datetime
import itertools
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playhouse.migrations import Runner

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
    """TEST_DATABASE_URL with its search_path set to ``schema``, so tests never touch other schemas."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


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


def clean_pg():
    """Empty every table but the seeded district and streets (and drop districts added by a test)."""
    tables = [m._meta.table_name for m in MODELS if m not in (District, Street)]
    db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    changning = District.get(District.code == "310105")
    Street.delete().where(Street.district != changning).execute()
    District.delete().where(District.id != changning.id).execute()


@pytest.fixture
def app_config():
    """Extra configuration for one test module: override this fixture."""
    return {}


@pytest.fixture
def app(backend, tmp_path, app_config):
    url = f"sqlite:///{tmp_path}/test.db" if backend == "sqlite" else pg_url(PG_SCHEMA)
    app = create_app({**config_for(url), **app_config})
    if backend == "sqlite":
        Runner(db.obj, MIGRATIONS).up()
    else:
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
    return f"1580000{next(_phones):04d}"


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
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def csrf_from(html):
    """The CSRF token a rendered page carries."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'"X-CSRFToken": "([^"]+)"', html)
    return match.group(1)
