"""The database handle, the base model and the helpers every model module shares."""
import datetime
import secrets
import weakref

from peewee import DatabaseProxy, Model, SqliteDatabase

db = DatabaseProxy()


def utcnow():
    """Naive UTC, the form every timestamp is stored in."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


def new_token():
    return secrets.token_urlsafe(24)


def serialising_transaction():
    """A transaction in which read-then-write is safe from concurrent writers.

    SQLite: BEGIN IMMEDIATE takes the write lock up front. PostgreSQL: callers lock rows with FOR UPDATE.
    """
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


def for_update(query):
    """SELECT … FOR UPDATE where the database has it (SQLite serialises whole transactions instead)."""
    return query if isinstance(db.obj, SqliteDatabase) else query.for_update()


#: The statements each PostgreSQL connection has prepared (execute_prepared), by connection.
_PREPARED = weakref.WeakKeyDictionary()
#: PostgreSQL's names for the parameter types peewee's fields declare (execute_prepared's ``types``).
PG_TYPES = {"INT": "integer", "VARCHAR": "varchar", "BOOL": "boolean", "DATETIME": "timestamp", "TEXT": "text"}


def execute_prepared(name, sql, params, types=(), settings=None):
    """Run ``sql`` (with %s placeholders) on ``params``; its cursor.

    On PostgreSQL the statement is prepared once per connection (PREPARE ``name``, with ``types``, one per
    placeholder, where PostgreSQL cannot infer them) and then only executed: for the check-in's statements, planning
    took longer than running them. A prepared statement lasts as long as its connection, which the pool keeps; it
    would not survive a pooler that hands one connection to many clients (PgBouncer in transaction mode).
    ``settings`` (name: value) hold for this statement alone: set_config(…, true) sent with it in one message, which
    PostgreSQL runs as one transaction (a statement outside a transaction of the caller's).
    SQLite's driver keeps its own cache of prepared statements, by the statement's text.
    """
    if isinstance(db.obj, SqliteDatabase):
        return db.execute_sql(sql, params)
    prepared = _PREPARED.setdefault(db.connection(), set())
    if name not in prepared:
        first, *parts = sql.split("%s")
        text = first + "".join(f"${number}{part}" for number, part in enumerate(parts, 1))
        declared = f" ({', '.join(types)})" if types else ""
        db.execute_sql(f"PREPARE {name}{declared} AS {text}")
        prepared.add(name)
    execute = f"EXECUTE {name} ({', '.join(['%s'] * len(params))})"
    if settings:
        local = "".join("SELECT set_config(%s, %s, true); " for _ in settings)
        return db.execute_sql(local + execute, [*(x for pair in settings.items() for x in pair), *params])
    return db.execute_sql(execute, params)
