"""Service hours from minutes, by a rounding rule (config ``SHIFT_ROUNDING``).

A rule is a tuple of steps ``(below, hours)`` applied to what is left of each started hour: the minutes past the
last full hour count ``hours`` for the first step whose ``below`` they are under, and a whole hour past the last
step. The default is the one Shanghai's volunteer teams use: under 15 minutes 0, up to 45 minutes half an hour, up
to 60 minutes an hour, and so on each hour (75 minutes: 1.5, 106 minutes: 2).
"""
import datetime
from decimal import Decimal

#: Under 15 minutes: 0; 15 to 45 minutes: 0.5; 46 to 59: 1 (of each hour).
DEFAULT_ROUNDING = ((15, "0"), (46, "0.5"))


def shift_hours(minutes, rule=DEFAULT_ROUNDING):
    """The hours ``minutes`` of service count, as a Decimal with one decimal place."""
    minutes = max(int(minutes), 0)
    full, rest = divmod(minutes, 60)
    extra = Decimal(1)
    for below, hours in rule:
        if rest < below:
            extra = Decimal(str(hours))
            break
    return (Decimal(full) + extra).quantize(Decimal("0.1"))


def minutes_between(started_at, ended_at):
    """Whole minutes from ``started_at`` to ``ended_at`` (seconds dropped), 0 when either is missing."""
    if started_at is None or ended_at is None:
        return 0
    return max(int((ended_at - started_at) / datetime.timedelta(minutes=1)), 0)
