"""Rate limits (Flask-Limiter), the browser's device id, and the keyed hashes both are stored under.

In-memory by default; RATELIMIT_STORAGE_URI=redis://… for several workers. No limit key holds a phone number or an
address: each is a keyed hash (HMAC-SHA256 with SECRET_KEY), so neither the limit storage nor Flask-Limiter's log
lines ("ratelimit … (key) exceeded") say whose they are.
"""
import functools
import hmac
import ipaddress
import logging
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import redis
from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage, RedisStorage
from werkzeug.exceptions import TooManyRequests

from core.validators import normalize_phone

log = logging.getLogger(__name__)

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
    return hmac.digest(secret, f"{kind}:{value}".encode(), "sha256").hex()[:32]


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
    """The keyed hash of the client's address, as limits and check-ins store it (once per request)."""
    if "address_hash" not in g:
        g.address_hash = pseudonym("address", client_network())
    return g.address_hash


def address_key():
    """Every limit's default key: the client's address, hashed."""
    return "address:" + address_hash()


limiter = Limiter(address_key)

#: Endpoints no Flask-Limiter limit applies to, whose request need not pass through it at all: the busiest ones (the
#: resident's check-in page, and its submission, whose limits ``counted`` counts).
UNLIMITED_BY_FLASK_LIMITER = set()


def init_limiter(app):
    """Flask-Limiter on ``app``; its hooks (the check before each request, the headers after it, the cleanup of its
    per-request state) are not called for UNLIMITED_BY_FLASK_LIMITER.

    (A request filter would skip those endpoints' limits too, but only after the check had looked up the view's
    limits and scopes, and its other hooks would still build and reset its state, on each of a resident's two
    requests.)
    """
    hooks = {
        "before": app.before_request_funcs, "after": app.after_request_funcs, "teardown": app.teardown_request_funcs,
    }
    before = {kind: list(funcs.get(None, ())) for kind, funcs in hooks.items()}
    limiter.init_app(app)
    for kind, funcs in hooks.items():
        funcs[None] = [hook if hook in before[kind] else _not_for_unlimited(hook, kind) for hook in funcs.get(None, ())]


def _not_for_unlimited(hook, kind):
    """``hook`` (one of Flask-Limiter's) called only for endpoints it limits; an after-request hook passes the
    response on unchanged for the others."""

    @functools.wraps(hook)
    def limited_only(*args):
        if request.endpoint not in UNLIMITED_BY_FLASK_LIMITER:
            return hook(*args)
        return args[0] if kind == "after" else None

    return limited_only


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


# --------------------------------------------------------------------------------------------- counted together


@dataclass(frozen=True)
class Bound:
    """One limit of a route whose limits are counted together (``counted``).

    ``limit`` is a limit string ("60 per 10 minutes"; several separated by ";") or a function giving one, such as
    ``configured(name)``; ``key`` gives the request's key. With ``only_made``, only a request that made something
    counts (Flask-Limiter's ``deduct_when``), and a request over the bound is refused before it makes anything.
    """

    limit: str | Callable[[], str]
    key: Callable[[], str]
    message: str
    only_made: bool = False


class Breach:
    """The limit a refused request ran into, as the 429 handlers read it (Flask-Limiter's ``error.limit``)."""

    def __init__(self, item, message):
        self.limit, self.error_message = item, message


class LimitReached(TooManyRequests):
    """429 from ``counted``: the route's error handler shows ``limit.error_message`` beside the form it keeps."""

    def __init__(self, item, message):
        super().__init__(str(message))
        self.limit = Breach(item, message)


#: Several fixed windows counted in one round trip, each as limits' own incr_expire.lua counts one: KEYS are the
#: windows, ARGV their lifetimes in seconds and then the amount; the windows' counts come back.
INCR_WINDOWS = """
local amount = tonumber(ARGV[#KEYS + 1])
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('incrby', key, amount)
    if counts[i] == amount then
        redis.call('expire', key, ARGV[i])
    end
end
return counts
"""
#: Where windows are counted while the shared storage does not answer: this process's memory.
_fallback = MemoryStorage()
#: INCR_WINDOWS by Redis storage, on a connection this process keeps for it (_script); none survives a fork.
_scripts = {}
os.register_at_fork(after_in_child=_scripts.clear)


def _script(storage):
    """INCR_WINDOWS on a client of ``storage``'s Redis that keeps one connection for this process: around every
    command, redis-py's pool checks a connection out (looking at its socket) and back in, which cost a check-in more
    than the command's own round trip did. The client reconnects by itself after Redis has gone away."""
    script = _scripts.get(storage)
    if script is None:
        pool = storage.get_connection().connection_pool
        client = redis.Redis(connection_pool=pool, single_connection_client=True)
        script = _scripts[storage] = client.register_script(INCR_WINDOWS)
    return script


@functools.lru_cache(maxsize=64)
def _items(limit):
    return tuple(parse_many(limit))


def _add(windows, amount):
    """Add ``amount`` to each (key, lifetime) window; their counts. One round trip to Redis; with another storage,
    its own ``incr`` for each; while the storage fails, this process's memory."""
    storage = limiter.limiter.storage  # Flask-Limiter's: Redis, or its memory while Redis is down
    try:
        if isinstance(storage, RedisStorage):
            keys = [storage.prefixed_key(key) for key, _ in windows]
            return [int(n) for n in _script(storage)(keys, [life for _, life in windows] + [amount])]
        return [storage.incr(key, life, amount) for key, life in windows]
    except storage.base_exceptions as exc:
        log.warning("rate limit storage failed (%s); counting in memory", exc)
        memory = _fallback
        if current_app.config.get("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"):
            # As Flask-Limiter does when its own check fails: its memory until the storage answers again (it looks
            # again after 1, 2, 4 … 32 s, on a request to one of its routes), so a crowd does not wait for a dead
            # Redis on every submission.
            limiter._storage_dead = True
            memory = limiter.limiter.storage
        return [memory.incr(key, life, amount) for key, life in windows]


class counted:
    """A route's bounds, counted in one round trip to the limit storage, as a context manager around the view.

    Flask-Limiter counts a route's limits one after another, a round trip to Redis each, and a limit that counts only
    some requests (``deduct_when``) takes two: a test before the view, a hit after it. A resident's check-in has five
    windows and arrives with its whole crowd, so its bounds are counted here at once: on entry every window is
    counted (a refused request stays counted in the windows of bounds that count every request, as Flask-Limiter's
    do; those that count only what was made are given back), and on exit the ``only_made`` windows are given back
    unless the view called ``made()``. Over any bound: LimitReached (429) with that bound's message.

        with counted(BOUNDS) as made:
            ...
            made()
    """

    def __init__(self, bounds):
        self.bounds = bounds
        self.taken = []  # the only_made windows counted on entry

    def __enter__(self):
        if not limiter.enabled:
            return lambda: None
        endpoint = request.endpoint
        windows, owners = [], []
        for bound in self.bounds:
            key = bound.key()
            limit = bound.limit() if callable(bound.limit) else bound.limit
            for item in _items(limit):
                windows.append((item.key_for(key, endpoint), item.get_expiry()))
                owners.append((bound, item))
        counts = _add(windows, 1)
        self.taken = [window for window, (bound, _) in zip(windows, owners, strict=True) if bound.only_made]
        for count, (bound, item) in zip(counts, owners, strict=True):
            if count > item.amount:
                log.info("ratelimit %s exceeded at endpoint: %s", item, endpoint)
                self._give_back()
                raise LimitReached(item, bound.message)
        return self._made

    def _made(self):
        self.taken = []

    def _give_back(self):
        if self.taken:
            _add(self.taken, -1)
            self.taken = []

    def __exit__(self, *exc):
        self._give_back()
        return False
