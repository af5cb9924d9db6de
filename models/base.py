"""The database handle, the base model and the helpers every model module shares."""
import datetime
import secrets

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
