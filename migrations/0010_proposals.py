"""Proposals (申报书) to a contest, and their attached files."""
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

    class Campaign(Model):
        class Meta:
            database = db
            table_name = 'campaign'

    class Category(Model):
        class Meta:
            database = db
            table_name = 'category'

    class Proposal(Model):
        campaign = ForeignKeyField(Campaign, on_delete='RESTRICT')
        organization = ForeignKeyField(Organization, on_delete='RESTRICT')
        category = ForeignKeyField(Category, null=True, on_delete='SET NULL')
        title = CharField(max_length=80, default='')
        service_field = CharField(max_length=20, default='')
        beneficiaries = CharField(max_length=200, default='')
        street = ForeignKeyField(Street, null=True, on_delete='SET NULL')
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        beneficiary_count = IntegerField(null=True)
        total_budget = IntegerField(null=True)
        amount_requested = IntegerField(null=True)
        budget_items = TextField(default='')
        summary = TextField(default='')
        needs = TextField(default='')
        plan = TextField(default='')
        outcomes = TextField(default='')
        team = TextField(default='')
        status = CharField(max_length=20, default='draft', index=True)
        submitted_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'proposal'
    db.create_tables([Proposal])

    class ProposalFile(Model):
        proposal = ForeignKeyField(Proposal, on_delete='CASCADE')
        key = CharField(max_length=40, unique=True)
        kind = CharField(max_length=10)
        size = IntegerField()
        original_name = CharField(max_length=100)
        sha256 = CharField(max_length=64)
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'proposal_file'
    db.create_tables([ProposalFile])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('proposal_file'))
    migrator.migrate(migrator.drop_table('proposal'))
