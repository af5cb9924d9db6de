"""The database: SQLite (WAL) by default, PostgreSQL through a pool, the migrations in ``migrations/``, the answer
while it is unreachable, and backups (``flask backup PATH`` / ``flask restore PATH``, SQLite only)."""
import logging
import os
import shutil
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import click
from flask import current_app, request
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from peewee import InterfaceError, OperationalError, SqliteDatabase
from playhouse.db_url import connect as connect_url
from playhouse.db_url import register_database
from playhouse.migrations import Runner
from playhouse.pool import MaxConnectionsExceeded, PooledPostgresqlDatabase

from models import MODELS, District, Street, db

log = logging.getLogger(__name__)

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")

#: What a backup directory holds: the database under this name, and the uploaded files under ``uploads/``.
BACKUP_DATABASE = "ningshe.db"
BACKUP_UPLOADS = "uploads"

cli = AppGroup("db", help="Apply or inspect the migrations in migrations/; back up and restore (SQLite).")


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
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    for error in (OperationalError, InterfaceError, MaxConnectionsExceeded):
        app.register_error_handler(error, unavailable)

    # A request takes its connection with its first statement (peewee connects then), so one that needs none (a file
    # from static/, a check-in page whose event its worker has kept) takes none from the pool.
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
    connection, and gives up connecting to an unreachable server after 5 s (libpq would wait for the TCP timeout,
    and the health check with it); a URL that names its own pool (postgresql+pool://…) is taken as it is.
    """
    scheme, sep, rest = url.partition("://")
    if scheme not in ("postgres", "postgresql"):
        return url
    defaults = {
        "max_connections": os.environ.get("DB_POOL_SIZE", "20"), "timeout": "10", "stale_timeout": "300",
        "connect_timeout": "5",
    }
    given = {pair.split("=", 1)[0] for pair in rest.partition("?")[2].split("&") if pair}
    extra = "&".join(f"{k}={v}" for k, v in defaults.items() if k not in given)
    return f"postgresql+pool{sep}{rest}{'&' if '?' in rest else '?'}{extra}"


class PostgresqlPool(PooledPostgresqlDatabase):
    """peewee's pool of PostgreSQL connections, handing a connection that came back a moment ago out again without
    asking the server first.

    peewee asks (SELECT 1) every time it hands a connection out, so that one the server has dropped is never used: a
    round trip and a statement for every request, as much of the server's work as a check-in's own statement. A
    connection back from a request less than PING_AFTER seconds ago is as good as that answer. One that has sat in
    the pool longer is still asked, so that one the server closed meanwhile (a restart, an idle timeout) is replaced
    before a request sees it.
    """

    #: Seconds a connection back in the pool is handed out again without asking the server.
    PING_AFTER = 1.0

    def __init__(self, *args, **kwargs):
        self._returned = {}  # connection key: when it came back
        super().__init__(*args, **kwargs)

    def _is_closed(self, conn):
        returned = self._returned.pop(self.conn_key(conn), None)
        if returned is not None and time.monotonic() - returned < self.PING_AFTER:
            # What the driver knows without a round trip: closed, or its connection lost.
            return bool(conn.closed) or self._adapter.txn_status(conn) == self._adapter.txn_unknown
        return super()._is_closed(conn)

    def _close(self, conn, close_conn=False):
        with self._pool_lock:
            self._returned[self.conn_key(conn)] = time.monotonic()
            super()._close(conn, close_conn)
            if conn.closed:  # closed rather than kept
                self._returned.pop(self.conn_key(conn), None)


# Every pooled PostgreSQL URL (pooled() makes one of a plain URL) opens this pool.
register_database(PostgresqlPool, "postgres+pool", "postgresql+pool")


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


def sqlite_file():
    """The SQLite database's file; on PostgreSQL, the tools that back it up instead."""
    if not isinstance(db.obj, SqliteDatabase) or db.obj.database == ":memory:":
        raise click.ClickException(
            "this database is not a SQLite file. For PostgreSQL use its own tools: "
            "pg_dump -Fc -f ningshe.dump DBNAME to back up, pg_restore --clean --if-exists -d DBNAME ningshe.dump to "
            "restore, and copy the UPLOAD_DIR directory beside the dump (README, Backups)."
        )
    return Path(db.obj.database)


def copy_database(source, target):
    """Copy one SQLite database into another through SQLite's online backup API.

    The copy is one step, one read transaction: a snapshot as of its start, while the app goes on writing (WAL
    lets readers and writers pass each other). Whatever ``target`` held is replaced.
    """
    with closing(read_only(source, timeout=30)) as src, closing(sqlite3.connect(target, timeout=30)) as dst:
        src.backup(dst)


def read_only(path, **options):
    """A connection that cannot change ``path``, nor create it when it is missing."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, **options)


def integrity(path):
    """SQLite's own verdict on a database file: "ok", or what is wrong."""
    try:
        with closing(read_only(path)) as conn:
            return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as exc:  # not a database at all, or unreadable
        return str(exc)


def row_counts(path):
    """Rows per table of the models, in a SQLite file (the tables it has)."""
    with closing(read_only(path)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            m._meta.table_name: conn.execute(f'SELECT count(*) FROM "{m._meta.table_name}"').fetchone()[0]
            for m in MODELS if m._meta.table_name in tables
        }


def holds_data(path):
    """Whether a database has anything worth keeping: rows beyond the district and streets the migrations seed."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    seeded = {District._meta.table_name, Street._meta.table_name}
    return any(count for table, count in row_counts(path).items() if table not in seeded)


def summary(counts):
    """user 3, organization 2, event 5, check_in 120: what an operator checks first."""
    shown = [table for table in ("user", "organization", "event", "check_in") if table in counts]
    return ", ".join(f"{table} {counts[table]}" for table in shown)


@click.command("backup")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup(path):
    """Copy the SQLite database, while the app serves, and the uploaded files into the new directory PATH."""
    source = sqlite_file()
    if not source.is_file():
        raise click.ClickException(f"no database at {source}")
    if path.exists() and any(path.iterdir()):
        raise click.ClickException(f"{path} is not empty: give each backup a new directory (e.g. with the date)")
    path.mkdir(parents=True, exist_ok=True)
    # Written under another name first: a directory holding ningshe.db holds a complete, checked copy.
    partial = path / f"{BACKUP_DATABASE}.partial"
    copy_database(source, partial)
    with closing(sqlite3.connect(partial)) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    verdict = integrity(partial)
    if verdict != "ok":
        raise click.ClickException(f"the copy failed SQLite's integrity check ({verdict}); {partial} kept for study")
    partial.rename(path / BACKUP_DATABASE)
    # The files after the database: every file a copied row names was written before that row, so it is there.
    uploads, files = Path(current_app.config["UPLOAD_DIR"]), ""
    if uploads.is_dir():
        shutil.copytree(uploads, path / BACKUP_UPLOADS)
        files = f"; uploads: {sum(1 for p in (path / BACKUP_UPLOADS).rglob('*') if p.is_file())} files"
    click.echo(f"backup written to {path}: {summary(row_counts(path / BACKUP_DATABASE))}{files}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore(path, force):
    """Bring back a backup written by `flask backup`: the database, then the uploaded files."""
    target = sqlite_file()
    source = path / BACKUP_DATABASE
    if not source.is_file():
        raise click.ClickException(f"no {BACKUP_DATABASE} in {path}: not a directory written by `flask backup`")
    verdict = integrity(source)
    if verdict != "ok":
        raise click.ClickException(f"{source} failed SQLite's integrity check ({verdict}); nothing was changed")
    if holds_data(target) and not force:
        raise click.ClickException(
            f"{target} already holds data ({summary(row_counts(target))}); nothing was changed. "
            "Restore into an empty database, or add --force to replace it"
        )
    db.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    copy_database(source, target)
    uploads = path / BACKUP_UPLOADS
    if uploads.is_dir():
        # Merged into the upload directory, never deleting: stored names are random and files never change.
        shutil.copytree(uploads, current_app.config["UPLOAD_DIR"], dirs_exist_ok=True)
    copied = "; uploads copied" if uploads.is_dir() else ""
    click.echo(f"restored from {path}: {summary(row_counts(target))}{copied}")
    pending = [m.name for m in runner().status() if not m.applied]
    db.close()
    if pending:
        click.echo(f"pending migrations: {', '.join(pending)}; run: flask --app app db upgrade")


cli.add_command(backup)
cli.add_command(restore)
