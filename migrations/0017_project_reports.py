"""Funded projects' mid-term and final reports (中期 / 结项), reviewed by the district admin."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Proposal(Model):
        class Meta:
            database = db
            table_name = 'proposal'

    class ProjectReport(Model):
        project = ForeignKeyField(Proposal, on_delete='CASCADE')
        kind = CharField(max_length=10)
        status = CharField(max_length=20, default='draft', index=True)
        progress = TextField(default='')
        spending = TextField(default='')
        spent = DecimalField(max_digits=12, decimal_places=2, null=True)
        beneficiaries = IntegerField(null=True)
        next_steps = TextField(default='')
        return_note = TextField(default='')
        submitted_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'project_report'
            indexes = ((('project', 'kind'), True),)
    db.create_tables([ProjectReport])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('project_report'))
