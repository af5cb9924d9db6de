"""Signed values: the rotating QR code's time stamp, the check-in form's pass, the resident this device remembers."""
import functools
import hashlib
import re

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeSerializer

#: How old a rotating code may be, as the names of the config values that say it in seconds (see configure()):
#: a scanned code older than CHECKIN_SCAN_MAX_AGE is refused, so a screenshot forwarded to a group chat stops
#: working; once the page has opened, its form is good for CHECKIN_FORM_MAX_AGE.
SCAN_MAX_AGE = "CHECKIN_SCAN_MAX_AGE"
FORM_MAX_AGE = "CHECKIN_FORM_MAX_AGE"
#: What a form's key looks like (secrets.token_urlsafe(16)); the column holds 64 characters at most.
KEY_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")


@functools.lru_cache(maxsize=32)
def _signer(secret, salt):
    """One signer per secret and purpose, kept: a crowd's every page and submission signs or checks with it.

    With hashlib's SHA-1 itself, as itsdangerous's default but not wrapped in a function: Python's hmac computes a
    wrapped digest in pure Python. The signatures are the same."""
    return TimestampSigner(secret, salt=salt, digest_method=hashlib.sha1)


def _screen_signer():
    return _signer(current_app.config["SECRET_KEY"], "checkin-screen")


def screen_stamp(event):
    """The ``t`` value of a rotating code: time and signature over the event's token (already in the URL).

    Short, so that the code stays coarse enough to scan from the back of the room.
    """
    signed = _screen_signer().sign(event.checkin_token).decode()
    return signed[len(event.checkin_token) + 1:]


def _seconds(max_age):
    return current_app.config[max_age] if isinstance(max_age, str) else max_age


def stamp_state(event, stamp, max_age):
    """fresh, expired or invalid; ``max_age`` in seconds, or the name of the config value that holds it."""
    try:
        _screen_signer().unsign(f"{event.checkin_token}.{stamp or ''}", max_age=_seconds(max_age))
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    return "fresh"


class _SignedAt(TimestampSigner):
    """A signer that dates its signature ``at`` a given time: a form re-opened from its pass keeps its window."""

    def __init__(self, *args, at, **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at

    def get_timestamp(self):
        return self.at


def _form_message(event, key, device):
    return f"{key}~{device}~{event.checkin_token}"


def form_pass(event, key, device, at=None):
    """The form's own pass, ``key.time.signature``: one page load (its key) of this event on this device (its id).

    The key is the form's idempotency key, so one pass makes at most one check-in; the device id is the browser's
    cookie and is signed, never shown. ``at`` dates the pass (a form re-opened from its pass keeps the first date).
    """
    secret, salt = current_app.config["SECRET_KEY"], "checkin-form"
    signer = _signer(secret, salt) if at is None else _SignedAt(secret, salt=salt, at=at, digest_method=hashlib.sha1)
    message = _form_message(event, key, device)
    return key + signer.sign(message).decode()[len(message):]


def pass_state(event, value, device, max_age=None):
    """(fresh, expired or invalid; the pass's key; its time) for a pass sent by ``device``; no limit without max_age."""
    key, _, rest = (value or "").partition(".")
    if not (KEY_RE.fullmatch(key) and device):
        return "invalid", None, None
    signer = _signer(current_app.config["SECRET_KEY"], "checkin-form")
    try:
        _, at = signer.unsign(
            f"{_form_message(event, key, device)}.{rest}", max_age=_seconds(max_age) if max_age else None,
            return_timestamp=True,
        )
    except SignatureExpired:
        return "expired", key, None
    except BadSignature:
        return "invalid", None, None
    return "fresh", key, int(at.timestamp())


def _resident_serializer():
    return _serializer(current_app.config["SECRET_KEY"])


@functools.lru_cache(maxsize=32)
def _serializer(secret):
    # "resident-2": cookies from before a device could only remember what it did itself are no longer read.
    return URLSafeSerializer(secret, salt="resident-2", signer_kwargs={"digest_method": hashlib.sha1})


def remember(response, name, phone):
    """This device remembers the resident for as long as the privacy notice says data is kept."""
    days = current_app.config["RETENTION_DAYS"]
    response.set_cookie(
        "resident", _resident_serializer().dumps({"n": name, "p": phone}), max_age=days * 86400,
        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def remembered(request):
    """{'n': name, 'p': phone} of the resident this device remembers, or None."""
    try:
        value = _resident_serializer().loads(request.cookies.get("resident", ""))
    except BadSignature:
        return None
    return value if isinstance(value, dict) and value.get("p") and value.get("n") else None


def forget(response):
    response.delete_cookie("resident")
