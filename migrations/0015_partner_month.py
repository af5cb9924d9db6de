"""The partner month: a campaign of kind month (theme, the month's dates, a cover; the contest's later phase dates
become optional), organizations' sign-ups, events tagged to the month, partner accounts, needs and offers
(资源对接) with their responses."""
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

    migrator.migrate(
        migrator.drop_not_null('campaign', 'eligibility_ends_at'),
        migrator.drop_not_null('campaign', 'review_ends_at'),
        migrator.drop_not_null('campaign', 'notice_starts_at'),
        migrator.drop_not_null('campaign', 'notice_ends_at'),
        migrator.drop_not_null('campaign', 'results_at'),
        migrator.add_column('campaign', 'theme', CharField(max_length=100, default='')),
        migrator.add_column('campaign', 'starts_at', DateTimeField(null=True)),
        migrator.add_column('campaign', 'ends_at', DateTimeField(null=True)),
        migrator.add_column('campaign', 'cover_key', CharField(max_length=40, null=True)),
        migrator.add_column('user', 'affiliation', CharField(max_length=100, default='')),
        migrator.add_column('event', 'campaign_id',
                            ForeignKeyField(Campaign, null=True, on_delete='SET NULL', field=Campaign.id)),
    )

    class MonthEntry(Model):
        campaign = ForeignKeyField(Campaign, on_delete='CASCADE')
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        theme = CharField(max_length=100)
        planned_events = IntegerField()
        contact_name = CharField(max_length=40)
        contact_phone = CharField(max_length=11)
        status = CharField(max_length=20, default='pending', index=True)
        note = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        decided_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'month_entry'
            indexes = ((('campaign', 'organization'), True),)

    class Need(Model):
        campaign = ForeignKeyField(Campaign, null=True, on_delete='SET NULL')
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        kind = CharField(max_length=10, default='need')
        category = CharField(max_length=20)
        title = CharField(max_length=80)
        description = TextField(default='')
        street = ForeignKeyField(Street, on_delete='RESTRICT')
        deadline = DateField()
        contact_name = CharField(max_length=40)
        contact_phone = CharField(max_length=11)
        status = CharField(max_length=20, default='submitted', index=True)
        return_reason = TextField(default='')
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        published_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'need'

    class Response(Model):
        need = ForeignKeyField(Need, on_delete='CASCADE')
        responder = ForeignKeyField(User, on_delete='CASCADE')
        organization = ForeignKeyField(Organization, null=True, on_delete='CASCADE')
        message = TextField()
        contact_name = CharField(max_length=40)
        contact_phone = CharField(max_length=11)
        created_at = DateTimeField()
        matched_at = DateTimeField(null=True)
        matched_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'response'
    db.create_tables([MonthEntry, Need, Response])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('response'), migrator.drop_table('need'), migrator.drop_table('month_entry'))
    migrator.migrate(
        migrator.drop_index('event', 'event_campaign_id'),
        migrator.drop_column('event', 'campaign_id'),
        migrator.drop_column('user', 'affiliation'),
        migrator.drop_column('campaign', 'cover_key'),
        migrator.drop_column('campaign', 'ends_at'),
        migrator.drop_column('campaign', 'starts_at'),
        migrator.drop_column('campaign', 'theme'),
        migrator.add_not_null('campaign', 'results_at'),
        migrator.add_not_null('campaign', 'notice_ends_at'),
        migrator.add_not_null('campaign', 'notice_starts_at'),
        migrator.add_not_null('campaign', 'review_ends_at'),
        migrator.add_not_null('campaign', 'eligibility_ends_at'),
    )
