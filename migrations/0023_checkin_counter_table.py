"""The events' check-in counters move to a table of their own, one narrow row per event with one index.

Taking a number writes the counter's row under its lock. On the event's row that meant PostgreSQL opening and locking
all fifteen of the event's indexes for every check-in a crowd makes; here there is one. The counters carry over.
"""
from peewee import *


def up(migrator, db):
    class Event(Model):
        class Meta:
            database = db
            table_name = 'event'

    class CheckInCounter(Model):
        event = ForeignKeyField(Event, primary_key=True, on_delete='CASCADE')
        last = IntegerField()
        class Meta:
            database = db
            table_name = 'check_in_counter'

    db.create_tables([CheckInCounter])
    db.execute_sql(
        'INSERT INTO check_in_counter (event_id, last) SELECT id, checkin_counter FROM event WHERE checkin_counter > 0'
    )
    migrator.migrate(
        migrator.drop_column('event', 'checkin_counter'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_column('event', 'checkin_counter', IntegerField(default=0)),
    )
    db.execute_sql(
        'UPDATE event SET checkin_counter = '
        '(SELECT last FROM check_in_counter WHERE check_in_counter.event_id = event.id) '
        'WHERE id IN (SELECT event_id FROM check_in_counter)'
    )
    db.execute_sql('DROP TABLE check_in_counter')
