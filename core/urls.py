"""Absolute links for QR codes and shared messages, and the one check of where ``next`` may lead."""
import unicodedata
from urllib.parse import urlsplit

from flask import current_app, request, url_for


def absolute_url(endpoint, **values):
    """BASE_URL + path when BASE_URL is configured, else the request's own scheme and host."""
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def safe_next(target=None):
    r"""``target`` (by default the request's ``next``) when it is a path on this site, else None.

    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so ``/%09/evil.com`` (a tab) and
    ``/\evil.com`` lead to another host just as ``//evil.com`` does: any control character or backslash refuses
    the target (a line break would also break the Location header).
    """
    target = request.values.get("next", "") if target is None else target
    if not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
