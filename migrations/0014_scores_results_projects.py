"""Scoring, results and projects: each reviewer's sheet and scores, the staged funding decisions and their
publication, objections raised during 公示, and events linked to a funded project."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Campaign(Model):
        class Meta:
            database = db
            table_name = 'campaign'

    class Criterion(Model):
        class Meta:
            database = db
            table_name = 'criterion'

    class Proposal(Model):
        class Meta:
            database = db
            table_name = 'proposal'

    class Assignment(Model):
        class Meta:
            database = db
            table_name = 'assignment'

    migrator.migrate(
        migrator.add_column('assignment', 'comment', TextField(default='')),
        migrator.add_column('assignment', 'saved_at', DateTimeField(null=True)),
        migrator.add_column('assignment', 'submitted_at', DateTimeField(null=True)),
        migrator.add_column('proposal', 'decision', CharField(max_length=10, null=True)),
        migrator.add_column('proposal', 'amount_granted', IntegerField(null=True)),
        migrator.add_column('proposal', 'decided_by_id',
                            ForeignKeyField(User, null=True, on_delete='SET NULL', field=User.id)),
        migrator.add_column('proposal', 'decided_at', DateTimeField(null=True)),
        migrator.add_column('campaign', 'results_published_at', DateTimeField(null=True)),
        migrator.add_column('campaign', 'results_published_by_id',
                            ForeignKeyField(User, null=True, on_delete='SET NULL', field=User.id)),
        migrator.add_column('campaign', 'objection_contact', CharField(max_length=200, default='')),
        migrator.add_column('event', 'project_id',
                            ForeignKeyField(Proposal, null=True, on_delete='SET NULL', field=Proposal.id)),
    )

    class Score(Model):
        assignment = ForeignKeyField(Assignment, on_delete='CASCADE')
        criterion = ForeignKeyField(Criterion, on_delete='CASCADE')
        score = DecimalField(max_digits=5, decimal_places=1, null=True)
        comment = TextField(default='')
        class Meta:
            database = db
            table_name = 'score'
            indexes = ((('assignment', 'criterion'), True),)

    class Objection(Model):
        campaign = ForeignKeyField(Campaign, on_delete='CASCADE')
        proposal = ForeignKeyField(Proposal, null=True, on_delete='SET NULL')
        name = CharField(max_length=40)
        phone = CharField(max_length=20)
        text = TextField()
        created_at = DateTimeField()
        handled_at = DateTimeField(null=True)
        handled_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        reply = TextField(default='')
        class Meta:
            database = db
            table_name = 'objection'
    db.create_tables([Score, Objection])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('objection'), migrator.drop_table('score'))
    migrator.migrate(
        migrator.drop_index('event', 'event_project_id'),
        migrator.drop_column('event', 'project_id'),
        migrator.drop_column('campaign', 'objection_contact'),
        migrator.drop_index('campaign', 'campaign_results_published_by_id'),
        migrator.drop_column('campaign', 'results_published_by_id'),
        migrator.drop_column('campaign', 'results_published_at'),
        migrator.drop_column('proposal', 'decided_at'),
        migrator.drop_index('proposal', 'proposal_decided_by_id'),
        migrator.drop_column('proposal', 'decided_by_id'),
        migrator.drop_column('proposal', 'amount_granted'),
        migrator.drop_column('proposal', 'decision'),
        migrator.drop_column('assignment', 'submitted_at'),
        migrator.drop_column('assignment', 'saved_at'),
        migrator.drop_column('assignment', 'comment'),
    )
