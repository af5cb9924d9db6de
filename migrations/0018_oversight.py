"""Oversight: risk signals, moderators' notes on an organization's timeline, its grade's year and its 年报."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Street(Model):
        class Meta:
            database = db
            table_name = 'street'

    class Organization(Model):
        class Meta:
            database = db
            table_name = 'organization'

    class Event(Model):
        class Meta:
            database = db
            table_name = 'event'

    class OrgNote(Model):
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        kind = CharField(max_length=20, default='note')
        change = CharField(max_length=200, default='')
        text = TextField(default='')
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'org_note'

    class Signal(Model):
        kind = CharField(max_length=20)
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        street = ForeignKeyField(Street, on_delete='CASCADE')
        event = ForeignKeyField(Event, null=True, on_delete='CASCADE')
        subject = CharField(max_length=80)
        reason = TextField(default='')
        data = TextField(default='{}')
        fingerprint = CharField(max_length=64)
        status = CharField(max_length=10, default='open')
        raised_at = DateTimeField()
        updated_at = DateTimeField()
        closed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        closed_fingerprint = CharField(max_length=64, default='')
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'signal'
            indexes = (
                (('kind', 'organization', 'subject'), True),
                (('street', 'status', 'kind'), False),
            )
    db.create_tables([OrgNote, Signal])
    migrator.migrate(
        migrator.add_column('organization', 'grade_year', IntegerField(null=True)),
        migrator.add_column('organization', 'annual_report_year', IntegerField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('organization', 'annual_report_year'),
        migrator.drop_column('organization', 'grade_year'),
        migrator.drop_table('signal'),
        migrator.drop_table('org_note'),
    )
