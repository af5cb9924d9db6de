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


def parse_rounding(text):
    """A rule from its written form, ``"15:0,46:0.5"`` (the default): minutes below which each step counts, and its
    hours. Steps rise in minutes (1 to 60) and count 0 to 1 hour each; anything else is a ValueError that names
    the setting, so a mistyped deployment stops at start-up rather than counting hours wrongly."""
    steps, last = [], 0
    for part in (text or "").split(","):
        below, sep, hours = part.strip().partition(":")
        try:
            below, value = int(below), Decimal(hours.strip())
        except (ValueError, ArithmeticError):
            below, value = None, None
        if not sep or below is None or not value.is_finite() or not last < below <= 60 or not 0 <= value <= 1:
            raise ValueError(
                f"SHIFT_ROUNDING: {text!r} is not a rule like '15:0,46:0.5' (minutes rising from 1 to 60, hours 0 to 1)"
            )
        steps.append((below, str(value)))
        last = below
    return tuple(steps)
