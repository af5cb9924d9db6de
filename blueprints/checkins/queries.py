"""Reads for the consoles: bursts of check-ins from one device or one network, for the street to look at."""
import datetime
from collections import defaultdict

from models import CheckIn

#: One browser checking in this many people to one event within DEVICE_WINDOW (a family is two or three).
DEVICE_BURST, DEVICE_WINDOW = 5, datetime.timedelta(minutes=10)
#: One address making this many check-ins to one event within ADDRESS_WINDOW: a third of the most a venue's crowd
#: may make (core.limits), worth a look when the event is small.
ADDRESS_BURST, ADDRESS_WINDOW = 100, datetime.timedelta(minutes=1)


def densest(times, window):
    """(how many, first, last) of the most of the sorted ``times`` that fall within one ``window``."""
    best, start = (0, None, None), 0
    for end, at in enumerate(times):
        while at - times[start] > window:
            start += 1
        if end - start + 1 > best[0]:
            best = (end - start + 1, times[start], at)
    return best


def bursts(event):
    """The event's bursts, most first: [{kind: device or address, source: the hash's first 8, count, first, last}].

    Check-ins carry keyed hashes only, so a burst says "one browser" or "one network", never whose.
    """
    by_source = defaultdict(list)
    rows = (
        CheckIn.select(CheckIn.device, CheckIn.address, CheckIn.created_at)
        .where(CheckIn.event == event, CheckIn.method == "qr")
        .order_by(CheckIn.created_at)
    )
    for row in rows:
        if row.device:
            by_source["device", row.device].append(row.created_at)
        if row.address:
            by_source["address", row.address].append(row.created_at)
    found = []
    for (kind, source), times in by_source.items():
        at_least, window = (DEVICE_BURST, DEVICE_WINDOW) if kind == "device" else (ADDRESS_BURST, ADDRESS_WINDOW)
        count, first, last = densest(times, window)
        if count >= at_least:
            found.append({"kind": kind, "source": source[:8], "count": count, "first": first, "last": last})
    return sorted(found, key=lambda burst: -burst["count"])
