"""Signed values: the rotating QR code's time stamp, and the resident this device remembers."""
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeSerializer

#: How old a rotating code may be, as the names of the config values that say it in seconds (see configure()):
#: a scanned code older than CHECKIN_SCAN_MAX_AGE is refused, so a screenshot forwarded to a group chat stops
#: working; once the page has opened, the resident has CHECKIN_FORM_MAX_AGE to fill in the form.
SCAN_MAX_AGE = "CHECKIN_SCAN_MAX_AGE"
FORM_MAX_AGE = "CHECKIN_FORM_MAX_AGE"


def _screen_signer():
    return TimestampSigner(current_app.config["SECRET_KEY"], salt="checkin-screen")


def screen_stamp(event):
    """The ``t`` value of a rotating code: time and signature over the event's token (already in the URL).

    Short, so that the code stays coarse enough to scan from the back of the room.
    """
    signed = _screen_signer().sign(event.checkin_token).decode()
    return signed[len(event.checkin_token) + 1:]


def stamp_state(event, stamp, max_age):
    """fresh, expired or invalid; ``max_age`` in seconds, or the name of the config value that holds it."""
    if isinstance(max_age, str):
        max_age = current_app.config[max_age]
    try:
        _screen_signer().unsign(f"{event.checkin_token}.{stamp or ''}", max_age=max_age)
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    return "fresh"


def _resident_serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="resident")


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
    return value if isinstance(value, dict) and value.get("p") else None


def forget(response):
    response.delete_cookie("resident")
