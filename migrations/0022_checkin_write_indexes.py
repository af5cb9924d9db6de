"""Fewer indexes written by each check-in: a venue's crowd writes every one of them at once.

check_in (event_id) goes: (event_id, phone) and the other indexes that start with the event serve what it served.
check_in (address) goes: no query looks a check-in up by its address (an event's bursts read the event's check-ins).
check_in (recorded_by_id) and (undone_by_id), empty on a resident's own check-in, hold only the check-ins a volunteer
recorded or undid, which is all that ON DELETE SET NULL of an account looks for.
"""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index('check_in', 'checkin_event_id'),
        migrator.drop_index('check_in', 'check_in_address'),
        migrator.drop_index('check_in', 'checkin_recorded_by_id'),
        migrator.drop_index('check_in', 'checkin_undone_by_id'),
        migrator.add_index('check_in', ('recorded_by_id',), False, where=SQL('"recorded_by_id" IS NOT NULL'),
                           name='check_in_recorded_by_id_set'),
        migrator.add_index('check_in', ('undone_by_id',), False, where=SQL('"undone_by_id" IS NOT NULL'),
                           name='check_in_undone_by_id_set'),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('check_in', 'check_in_undone_by_id_set'),
        migrator.drop_index('check_in', 'check_in_recorded_by_id_set'),
        migrator.add_index('check_in', ('undone_by_id',), False, name='checkin_undone_by_id'),
        migrator.add_index('check_in', ('recorded_by_id',), False, name='checkin_recorded_by_id'),
        migrator.add_index('check_in', ('address',), False),
        migrator.add_index('check_in', ('event_id',), False, name='checkin_event_id'),
    )
