"""加入日历: one event as an iCalendar (RFC 5545) file."""
import re

from core.validators import HIDDEN_RE
from models import utcnow


def _escape(text):
    """``text`` as an iCalendar TEXT value (RFC 5545, 3.3.11)."""
    # Every kind of line break becomes \n: a bare CR too, which a calendar would read as the end of the property,
    # the rest of the title becoming a property of its own. Other control characters have no escape: they go.
    text = HIDDEN_RE.sub("", (text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,"))
    return re.sub("\r\n|[\r\n\v\f\x85\u2028\u2029]", "\\\\n", text)


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space, never splitting a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _stamp(value):
    return value.strftime("%Y%m%dT%H%M%SZ")


def ics_for(event, url):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//NingShe//Changning Events//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@ningshe",
        f"DTSTAMP:{_stamp(utcnow())}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.ends_at)}",
        f"SUMMARY:{_escape(event.title)}",
        f"LOCATION:{_escape(event.venue)}",
        f"DESCRIPTION:{_escape(event.organization.name + chr(10) + event.description + chr(10) + url)}",
        f"URL:{url}",
        "STATUS:CANCELLED" if event.status == "cancelled" else "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
