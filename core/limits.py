"""Rate limits (Flask-Limiter). In-memory by default; RATELIMIT_STORAGE_URI=redis://… for several workers."""
from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from core.validators import normalize_phone

limiter = Limiter(get_remote_address)


def phone_key():
    """Limit by the phone number a form names, so one crowd's shared Wi-Fi address is not the key."""
    return "phone:" + (normalize_phone(request.form.get("phone", "")) or request.form.get("phone", "")[:20])


def failed(response):
    """Count only attempts that did not succeed (a success redirects)."""
    return response.status_code != 303
