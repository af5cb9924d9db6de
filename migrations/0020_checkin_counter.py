"""Each event counts its check-ins' numbers itself: a check-in takes the next one in one UPDATE … RETURNING.

Started from the highest number each event already has, so the numbers go on without a gap or a repeat.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('event', 'checkin_counter', IntegerField(default=0)),
    )
    db.execute_sql(
        'UPDATE event SET checkin_counter = '
        '(SELECT COALESCE(MAX(number), 0) FROM check_in WHERE check_in.event_id = event.id)'
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('event', 'checkin_counter'),
    )
