"""资格审查 of proposals: the note the organization reads, the date to revise by, who checked it and when."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    migrator.migrate(
        migrator.add_column('proposal', 'check_note', TextField(default='')),
        migrator.add_column('proposal', 'revise_by', DateTimeField(null=True)),
        migrator.add_column('proposal', 'checked_by_id',
                            ForeignKeyField(User, null=True, on_delete='SET NULL', field=User.id)),
        migrator.add_column('proposal', 'checked_at', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('proposal', 'checked_at'),
        migrator.drop_index('proposal', 'proposal_checked_by_id'),
        migrator.drop_column('proposal', 'checked_by_id'),
        migrator.drop_column('proposal', 'revise_by'),
        migrator.drop_column('proposal', 'check_note'),
    )
