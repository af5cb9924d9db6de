"""Reports: volunteers' shifts at an event, the organization's report on it, and the report's photos."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Event(Model):
        class Meta:
            database = db
            table_name = 'event'

    class Campaign(Model):
        class Meta:
            database = db
            table_name = 'campaign'

    class Proposal(Model):
        class Meta:
            database = db
            table_name = 'proposal'

    class Shift(Model):
        event = ForeignKeyField(Event, on_delete='CASCADE')
        volunteer = ForeignKeyField(User, on_delete='CASCADE')
        started_at = DateTimeField()
        ended_at = DateTimeField(null=True)
        corrected_hours = DecimalField(max_digits=5, decimal_places=1, null=True)
        correction_reason = TextField(default='')
        corrected_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        corrected_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'shift'

    class Report(Model):
        event = ForeignKeyField(Event, on_delete='CASCADE', unique=True)
        status = CharField(max_length=20, default='draft', index=True)
        attendance = IntegerField(null=True)
        attendance_reason = TextField(default='')
        beneficiaries = IntegerField(null=True)
        outcomes = TextField(default='')
        problems = TextField(default='')
        campaign = ForeignKeyField(Campaign, null=True, on_delete='SET NULL')
        project = ForeignKeyField(Proposal, null=True, on_delete='SET NULL')
        return_note = TextField(default='')
        submitted_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'report'

    class ReportPhoto(Model):
        report = ForeignKeyField(Report, on_delete='CASCADE')
        key = CharField(max_length=40, unique=True)
        size = IntegerField()
        width = IntegerField()
        height = IntegerField()
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'report_photo'
    db.create_tables([Shift, Report, ReportPhoto])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('report_photo'), migrator.drop_table('report'), migrator.drop_table('shift'))
