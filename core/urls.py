"""Absolute links for QR codes and shared messages."""
from flask import current_app, request, url_for


def absolute_url(endpoint, **values):
    """BASE_URL + path when BASE_URL is configured, else the request's own scheme and host."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def safe_next():
    """The ``next`` target when it stays on this site."""
    target = request.values.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None
