"""Campaigns (the 公益创投 venture contest first): phases, categories with their caps, budget and rubric."""
from peewee import *


def up(migrator, db):
    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Campaign(Model):
        district = ForeignKeyField(District, on_delete='RESTRICT')
        kind = CharField(max_length=10, default='contest')
        name = CharField(max_length=80)
        description = TextField(default='')
        application_opens_at = DateTimeField(index=True)
        application_closes_at = DateTimeField()
        eligibility_ends_at = DateTimeField()
        review_ends_at = DateTimeField()
        notice_starts_at = DateTimeField()
        notice_ends_at = DateTimeField()
        results_at = DateTimeField()
        budget = IntegerField(default=0)
        scoring = CharField(max_length=10, default='trimmed')
        blind_review = BooleanField(default=True)
        show_others = BooleanField(default=False)
        max_proposals_per_org = IntegerField(default=1)
        published = BooleanField(default=False, index=True)
        published_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'campaign'
    db.create_tables([Campaign])

    class Category(Model):
        campaign = ForeignKeyField(Campaign, on_delete='CASCADE')
        name = CharField(max_length=40)
        max_grant = IntegerField()
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'category'
    db.create_tables([Category])

    class Criterion(Model):
        campaign = ForeignKeyField(Campaign, on_delete='CASCADE')
        name = CharField(max_length=40)
        weight = IntegerField()
        min_score = IntegerField(default=0)
        max_score = IntegerField()
        guide = CharField(max_length=200, default='')
        position = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'criterion'
    db.create_tables([Criterion])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('criterion'))
    migrator.migrate(migrator.drop_table('category'))
    migrator.migrate(migrator.drop_table('campaign'))
