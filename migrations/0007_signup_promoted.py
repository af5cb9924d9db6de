"""Sign-ups record when a cancellation moved them up from the waiting list, so the resident can be told."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('signup', 'promoted_at', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('signup', 'promoted_at'),
    )
