"""Review: reviewers assigned to eligible proposals, and the conflicts (回避) reviewers declare with organizations."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Organization(Model):
        class Meta:
            database = db
            table_name = 'organization'

    class Proposal(Model):
        class Meta:
            database = db
            table_name = 'proposal'

    class Assignment(Model):
        proposal = ForeignKeyField(Proposal, on_delete='CASCADE')
        reviewer = ForeignKeyField(User, on_delete='CASCADE')
        assigned_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        assigned_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'assignment'
            indexes = ((('proposal', 'reviewer'), True),)
    db.create_tables([Assignment])

    class Conflict(Model):
        reviewer = ForeignKeyField(User, on_delete='CASCADE')
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        note = CharField(max_length=200, default='')
        declared_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'conflict'
            indexes = ((('reviewer', 'organization'), True),)
    db.create_tables([Conflict])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('conflict'))
    migrator.migrate(migrator.drop_table('assignment'))
