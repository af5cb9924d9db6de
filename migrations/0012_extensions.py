"""Extensions (延期申报): one organization may keep writing its proposals after a contest's deadline."""
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

    class Campaign(Model):
        class Meta:
            database = db
            table_name = 'campaign'

    class Extension(Model):
        campaign = ForeignKeyField(Campaign, on_delete='CASCADE')
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        until = DateTimeField()
        granted_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        granted_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'extension'
            indexes = ((('campaign', 'organization'), True),)
    db.create_tables([Extension])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('extension'))
