"""Indexes that keep pages flat as a district's data grows (bench/pages.py, bench/README.md "Pages").

event (status, starts_at): the public list of upcoming events (/events/), published events soonest first, read in
the index's order instead of sorting every published event of the district;
event (organization_id, starts_at): an organization's events newest first, a page at a time;
check_in (event_id, number): an event's roster newest first, a page at a time (签到管理), and its highest number.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index('event', ('status', 'starts_at'), False),
        migrator.add_index('event', ('organization_id', 'starts_at'), False),
        migrator.add_index('check_in', ('event_id', 'number'), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('check_in', 'check_in_event_id_number'),
        migrator.drop_index('event', 'event_organization_id_starts_at'),
        migrator.drop_index('event', 'event_status_starts_at'),
    )
