"""Events and residents' sign-ups (报名)."""
from peewee import *


def up(migrator, db):
    class Organization(Model):
        class Meta:
            database = db
            table_name = 'organization'

    class Street(Model):
        class Meta:
            database = db
            table_name = 'street'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Event(Model):
        organization = ForeignKeyField(Organization, on_delete='RESTRICT')
        title = CharField(max_length=80)
        description = TextField(default='')
        category = CharField(index=True, max_length=20)
        starts_at = DateTimeField(index=True)
        ends_at = DateTimeField()
        venue = CharField(max_length=200)
        street = ForeignKeyField(Street, on_delete='RESTRICT')
        capacity = IntegerField(null=True)
        signup_enabled = BooleanField(default=False)
        checkin_lead_minutes = IntegerField(default=30)
        checkin_mode = CharField(max_length=10, default='static')
        checkin_token = CharField(unique=True, max_length=64)
        status = CharField(index=True, max_length=20, default='draft')
        return_reason = TextField(null=True)
        cancel_reason = TextField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        published_at = DateTimeField(null=True)
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'event'
    db.create_tables([Event])

    class Signup(Model):
        event = ForeignKeyField(Event, on_delete='CASCADE')
        name = CharField(null=True, max_length=40)
        phone = CharField(null=True, max_length=11)
        status = CharField(index=True, max_length=12, default='confirmed')
        token = CharField(unique=True, max_length=64)
        consent_at = DateTimeField()
        created_at = DateTimeField()
        cancelled_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'signup'
            indexes = ((('event', 'phone'), True),)
    db.create_tables([Signup])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('signup'))
    migrator.migrate(migrator.drop_table('event'))

