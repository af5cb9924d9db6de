"""The database: SQLite (WAL) by default, PostgreSQL through a pool, the migrations in ``migrations/``, and the answer
while it is unreachable."""
import logging
import os
import sys
from pathlib import Path

import click
from flask import current_app, request
from flask.cli import AppGroup
from flask_babel import gettext as _
from peewee import InterfaceError, OperationalError, SqliteDatabase
from playhouse.db_url import connect as connect_url
from playhouse.migrations import Runner
from playhouse.pool import MaxConnectionsExceeded

from models import db

log = logging.getLogger(__name__)

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")

#: Requests that never wait for the database: files from static/, and the health check, which asks it itself.
WITHOUT_DATABASE = ("static", "main.healthz")

cli = AppGroup("db", help="Apply or inspect the migrations in migrations/.")


def init_database(app):
    """SQLite (WAL, foreign keys, busy timeout) by default; any playhouse db_url otherwise."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        database = SqliteDatabase(
            url[len("sqlite:///"):],
            pragmas={"journal_mode": "wal", "foreign_keys": 1, "synchronous": "normal", "busy_timeout": 5000},
            timeout=5,
        )
    else:
        database = connect_url(pooled(url))
    db.initialize(database)
    app.cli.add_command(cli)
    for error in (OperationalError, InterfaceError, MaxConnectionsExceeded):
        app.register_error_handler(error, unavailable)

    @app.before_request
    def open_connection():
        if request.endpoint not in WITHOUT_DATABASE:
            db.connect(reuse_if_open=True)

    @app.teardown_request
    def close_connection(exc):
        # A SQLite connection stays open for its worker thread: closing the last one
        # checkpoints the WAL, which costs more than the request itself. Elsewhere close() returns it to the pool.
        if not isinstance(db.obj, SqliteDatabase) and not db.is_closed():
            db.close()


def unavailable(error):
    """503 while the database cannot be reached (or its pool is exhausted): a Chinese page that needs nothing from
    the database, not even who is signed in, and a hint to try again soon."""
    log.error("database unavailable on %s %s: %s", request.method, request.path, error, exc_info=error)
    text = _("系统暂时无法访问数据库，请稍后再试。")
    headers = {"Retry-After": "30"}
    if request.headers.get("HX-Request") == "true":
        return text, 503, {**headers, "Content-Type": "text/plain; charset=utf-8"}
    # Rendered without the app's context processors: Flask-Login's would load the signed-in user from the database.
    page = current_app.jinja_env.get_template("errors/unavailable.html").render(
        message=text, lang="en" if request.cookies.get("lang") == "en" else "zh_CN",
        elder_mode=request.cookies.get("elder") == "1",
    )
    return page, 503, headers


def reachable():
    """True when the database answers a query now (the health check)."""
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1").fetchone()
    except Exception as exc:  # whatever the driver raises, the answer is "no"
        log.error("database unreachable: %s", exc)
        return False
    return True


def pooled(url):
    """PostgreSQL through a pool of connections: opening one per request costs more than the request.

    A plain postgresql:// URL gets a pool of DB_POOL_SIZE (default 20) per process, waiting up to 10 s for a free
    connection; a URL that names its own pool (postgresql+pool://…) is taken as it is.
    """
    scheme, sep, rest = url.partition("://")
    if scheme not in ("postgres", "postgresql"):
        return url
    defaults = {"max_connections": os.environ.get("DB_POOL_SIZE", "20"), "timeout": "10", "stale_timeout": "300"}
    given = {pair.split("=", 1)[0] for pair in rest.partition("?")[2].split("&") if pair}
    extra = "&".join(f"{k}={v}" for k, v in defaults.items() if k not in given)
    return f"postgresql+pool{sep}{rest}{'&' if '?' in rest else '?'}{extra}"


def runner():
    """peewee's own migration runner over ``migrations/``."""
    return Runner(db.obj, MIGRATIONS)


@cli.command("upgrade")
def upgrade():
    """Apply every pending migration."""
    applied = runner().up()
    click.echo("\n".join(f"applied: {name}" for name in applied) or "up to date.")


@cli.command("status")
def status():
    """List the migrations, [x] applied or [ ] pending; exit 1 when any is pending."""
    rows = runner().status()
    for m in rows:
        click.echo(f"[{'x' if m.applied else ' '}] {m.name}")
    if any(not m.applied for m in rows):
        sys.exit(1)
