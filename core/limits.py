"""Rate limits (Flask-Limiter), the browser's device id, and the keyed hashes both are stored under.

In-memory by default; RATELIMIT_STORAGE_URI=redis://… for several workers. No limit key holds a phone number or an
address: each is a keyed hash (HMAC-SHA256 with SECRET_KEY), so neither the limit storage nor Flask-Limiter's log
lines ("ratelimit … (key) exceeded") say whose they are.
"""
import hashlib
import hmac
import ipaddress
import re
import secrets

from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from core.validators import normalize_phone

#: The cookie that tells one browser from another: a random id the check-in and event pages set.
DEVICE_COOKIE = "did"
DEVICE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
DEVICE_MAX_AGE = 2 * 365 * 86400

#: The limits the check-in and sign-up forms apply (a config value of the same name replaces one). Measured on the
#: crowd test: 300 residents on one venue Wi-Fi check in within seconds, so an address may make 300 check-ins to one
#: event in a minute, and 1,000 in an hour; a script gets no more than that, and its check-ins carry its address.
DEFAULTS = {
    "CHECKIN_LIMIT_PER_ADDRESS": "300 per minute;1000 per hour",
    "CHECKIN_LIMIT_PER_DEVICE": "60 per 10 minutes",
    "CHECKIN_LIMIT_PER_PHONE": "60 per 10 minutes",
    #: A family signs up its members from one phone; a script from one browser stops at five.
    "SIGNUP_LIMIT_PER_DEVICE": "5 per day",
    #: Neighbours on one mobile network share an address, so this one is looser.
    "SIGNUP_LIMIT_PER_ADDRESS": "20 per hour",
}


def configured(name):
    """A limit string for Flask-Limiter, read at request time (so tests and deployments may change it)."""
    return lambda: current_app.config.get(name, DEFAULTS[name])


def pseudonym(kind, value):
    """A keyed hash of ``value``: stable for counting and grouping, meaningless without SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def client_network():
    """The client's address; for IPv6 its /64, which one household or one phone holds whole."""
    address = get_remote_address() or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def address_hash():
    """The keyed hash of the client's address, as limits and check-ins store it."""
    return pseudonym("address", client_network())


def address_key():
    """Every limit's default key: the client's address, hashed."""
    return "address:" + address_hash()


limiter = Limiter(address_key)


def phone_key():
    """Limit by the phone number a form names, so one crowd's shared Wi-Fi address is not the key."""
    phone = normalize_phone(request.form.get("phone", "")) or request.form.get("phone", "")[:20]
    return "phone:" + pseudonym("phone", phone)


def request_device():
    """The device id this browser sent: the random cookie this app set, or None when missing or malformed."""
    value = request.cookies.get(DEVICE_COOKIE, "")
    return value if DEVICE_RE.fullmatch(value) else None


def page_device():
    """This browser's device id; a browser that sent none gets a new one (keep_device sets the cookie)."""
    if "device" not in g:
        g.device = request_device()
        if g.device is None:
            g.device = g.new_device = secrets.token_urlsafe(16)
    return g.device


def device_hash(device):
    """What is stored and keyed for a device: its keyed hash, so a stored value cannot be replayed as a cookie."""
    return pseudonym("device", device) if device else None


def keep_device(response):
    """Set the device cookie when this request made up a new id."""
    if g.get("new_device"):
        response.set_cookie(
            DEVICE_COOKIE, g.new_device, max_age=DEVICE_MAX_AGE, httponly=True, samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def device_key():
    """The device's hashed id, or the hashed address for a client that sends no device cookie."""
    device = request_device()
    return "device:" + device_hash(device) if device else address_key()


def failed(response):
    """Count only attempts that did not succeed (a success redirects)."""
    return response.status_code != 303
