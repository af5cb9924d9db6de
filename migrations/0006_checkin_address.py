"""Check-ins record a keyed hash of the address they came from, so that bursts from one network can be found."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('check_in', 'address', CharField(null=True, max_length=32)),
        migrator.add_index('check_in', ('address',), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('check_in', 'check_in_address'),
        migrator.drop_column('check_in', 'address'),
    )
