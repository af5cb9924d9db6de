"""Asia/Shanghai for people, naive UTC for the database."""
import datetime
from zoneinfo import ZoneInfo

from models import utcnow

SHANGHAI = ZoneInfo("Asia/Shanghai")


def to_utc(local):
    """A naive Shanghai wall-clock time → naive UTC."""
    return local.replace(tzinfo=SHANGHAI).astimezone(datetime.UTC).replace(tzinfo=None)


def to_local(utc):
    """Naive UTC → naive Shanghai wall-clock time."""
    return utc.replace(tzinfo=datetime.UTC).astimezone(SHANGHAI).replace(tzinfo=None)


def local_now():
    return to_local(utcnow())


def period_end(period, now=None):
    """The end (naive UTC) of 今天 / 本周 / 本月 counted from ``now`` in Shanghai, or None for any time."""
    local = to_local(now or utcnow())
    midnight = datetime.datetime.combine(local.date(), datetime.time()) + datetime.timedelta(days=1)
    if period == "today":
        end = midnight
    elif period == "week":
        end = midnight + datetime.timedelta(days=6 - local.weekday())
    elif period == "month":
        first_next = (local.date().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        end = datetime.datetime.combine(first_next, datetime.time())
    else:
        return None
    return to_utc(end)
