"""Indexes the street and district consoles need on a large district (bench/consoles.py, bench/README.md).

check_in (event, created_at, undone_at): an event's check-ins counted from the index alone (the charts' check-ins
per month, SQLite's plan for the district console's check-ins this year);
check_in (created_at, event, undone_at), in place of the index on created_at alone: the check-ins of a period
counted from the index alone (PostgreSQL's plan for the district console; the signals' recent check-ins);
check_in (phone): a phone's check-ins at other events (the signals' overlapping check-ins: on PostgreSQL
`compute-signals` ran for minutes without it on the large data set, 5 s with it);
event (street, status, starts_at) and (street, status, ends_at): a street's held events of a period counted, and its
ended events whose reports were due, from the index alone.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('check_in', ('event_id', 'created_at', 'undone_at'), False),
        migrator.add_index('check_in', ('created_at', 'event_id', 'undone_at'), False),
        migrator.drop_index('check_in', 'checkin_created_at'),
        migrator.add_index('check_in', ('phone',), False),
        migrator.add_index('event', ('street_id', 'status', 'starts_at'), False),
        migrator.add_index('event', ('street_id', 'status', 'ends_at'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('event', 'event_street_id_status_ends_at'),
        migrator.drop_index('event', 'event_street_id_status_starts_at'),
        migrator.drop_index('check_in', 'check_in_phone'),
        migrator.add_index('check_in', ('created_at',), False),
        migrator.drop_index('check_in', 'check_in_created_at_event_id_undone_at'),
        migrator.drop_index('check_in', 'check_in_event_id_created_at_undone_at'),
    )
