"""The per-phone login limit: an attempt is counted before its password is checked, in one atomic step.

Flask-Limiter's ``deduct_when`` counts a failure after the response, so guesses sent in parallel all pass the check
before the first is counted. Here the storage's moving window checks and counts at once (a lock in memory, a Lua
script in Redis); a successful login then forgets the phone's failures.
"""
import logging

from flask import current_app
from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from core.limits import limiter, pseudonym

log = logging.getLogger(__name__)

#: Login attempts per phone number in any five minutes (a success wipes the count).
PER_PHONE = parse("5 per 5 minutes")

#: Where attempts are counted while the shared storage (Redis) does not answer: this process's memory.
_fallback = MemoryStorage()


def _key(phone):
    """The limit's key: no phone number in the limit storage, only a hash of it keyed with SECRET_KEY."""
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login", pseudonym("login", phone))


def take_attempt(phone):
    """Count one login attempt for ``phone``; False when the phone has used up its attempts."""
    if not limiter.enabled:
        return True
    storage = limiter.limiter.storage  # Flask-Limiter's: Redis, or its memory while Redis is down
    try:
        return MovingWindowRateLimiter(storage).hit(PER_PHONE, *_key(phone))
    except storage.base_exceptions as exc:
        log.warning("login limit storage failed (%s); counting in memory", exc)
        return MovingWindowRateLimiter(_fallback).hit(PER_PHONE, *_key(phone))


def forget_attempts(phone):
    """The phone's owner got in: earlier failures no longer count against them."""
    if not limiter.enabled:
        return
    storage = limiter.limiter.storage
    for store in (storage, _fallback):
        try:
            MovingWindowRateLimiter(store).clear(PER_PHONE, *_key(phone))
        except store.base_exceptions as exc:
            log.warning("login limit storage failed (%s) while clearing", exc)
