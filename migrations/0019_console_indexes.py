"""Indexes the street and district consoles need on a large district (bench/consoles.py, bench/README.md).

check_in (event, created_at, undone_at): check-ins of an event counted, or counted over a span of time, from the
index alone (the district console's check-ins this year, the charts' check-ins per month);
event (street, status, starts_at) and (street, status, ends_at): a street's held events of a period counted, and its
ended events whose reports were due, from the index alone.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('check_in', ('event_id', 'created_at', 'undone_at'), False),
        migrator.add_index('event', ('street_id', 'status', 'starts_at'), False),
        migrator.add_index('event', ('street_id', 'status', 'ends_at'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('event', 'event_street_id_status_ends_at'),
        migrator.drop_index('event', 'event_street_id_status_starts_at'),
        migrator.drop_index('check_in', 'check_in_event_id_created_at_undone_at'),
    )
