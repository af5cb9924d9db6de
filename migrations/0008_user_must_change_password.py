"""A temporary password issued by staff must be changed at the next login: the account carries a flag until then."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'must_change_password', BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'must_change_password'))
