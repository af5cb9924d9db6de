"""Check-ins: residents scanning the event's QR code, and volunteers recording the rest."""
from peewee import *


def up(migrator, db):
    class Event(Model):
        class Meta:
            database = db
            table_name = 'event'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class CheckIn(Model):
        event = ForeignKeyField(Event, on_delete='CASCADE')
        name = CharField(null=True, max_length=40)
        phone = CharField(null=True, max_length=11)
        minor = BooleanField(default=False)
        method = CharField(max_length=10, default='qr')
        recorded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        number = IntegerField()
        idempotency_key = CharField(unique=True, null=True, max_length=64)
        device = CharField(index=True, null=True, max_length=64)
        consent_at = DateTimeField(null=True)
        created_at = DateTimeField(index=True)
        undone_at = DateTimeField(null=True)
        undone_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        undo_reason = TextField(null=True)
        erased_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'check_in'
            indexes = ((('event', 'phone'), True),)
    db.create_tables([CheckIn])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('check_in'))

