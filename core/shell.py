"""Pages whose chrome is rendered once: for the busiest anonymous pages (a crowd checking in at one venue).

base.html's head, top bar and footer are the same for every anonymous visitor of one page in one language and mode,
but for the session's CSRF token (the footer's 长辈模式 button posts it). ``render_in_shell`` renders a page's
template once per such visitor kind with a placeholder for its body and one for the token, keeps the two halves,
and afterwards only joins them around the body it is given, the visitor's own token put in. A signed-in visitor, or
one with a flashed message waiting, gets the page rendered whole, as every other page is.

A page may keep parts of its body the same way: rendered ``with token_stand_in()``, a kept part holds the stand-in
wherever it shows the token, and ``render_in_shell`` puts the visitor's in.
"""
import secrets
from contextlib import contextmanager

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

#: Stand-ins for the body and the CSRF token while the chrome is rendered: random, so no page text can contain them.
BODY = f"body-{secrets.token_hex(8)}"
TOKEN = f"csrf-{secrets.token_hex(8)}"
#: The chrome's two halves, by template, the caller's key and what of the request the chrome shows.
_SHELLS = {}


def keep(store, key, value, most=1000):
    """``value`` kept in the process-wide ``store`` under ``key``, and returned; a store holding ``most`` is emptied
    first, so that what a worker keeps stays bounded however many events, languages and modes it serves."""
    if len(store) >= most:
        store.clear()
    store[key] = value
    return value


def render_in_shell(template, body, key, **context):
    """``template`` (a page extending base.html whose content is ``{{ body }}``) around ``body``, as HTML.

    ``key`` names everything of ``context`` the chrome shows (an event's id and title, say): the chrome is kept
    for it, together with the endpoint, method, path, language and mode of this request (the footer's links carry
    the path back).
    """
    # A query string (a rotating code's stamp) is new on every scan: such a chrome would never be asked for again.
    if current_user.is_authenticated or session.get("_flashes") or request.query_string:
        return render_template(template, body=Markup(body), **context).replace(TOKEN, page_token())
    shell_key = (
        template, key, request.endpoint, request.method, request.path, str(get_locale()),
        request.cookies.get("lang"), request.cookies.get("elder"),
    )
    halves = _SHELLS.get(shell_key)
    if halves is None:
        with token_stand_in():
            html = render_template(template, body=Markup(BODY), **context)
        head, found, tail = html.partition(BODY)
        if not found:
            raise ValueError(f"{template} does not show its body")
        halves = keep(_SHELLS, shell_key, (head, tail))
    head, tail = halves
    return (head + body + tail).replace(TOKEN, page_token())


def page_token():
    """The CSRF token the page's forms carry: the one this submission carried, once CSRFProtect has passed it and
    while tokens never expire (WTF_CSRF_TIME_LIMIT None), since it is as good as a new one; else generate_csrf's.
    (Signing the session's token again for the answer to a check-in cost as much as checking it.)"""
    if g.get("csrf_valid") and current_app.config["WTF_CSRF_TIME_LIMIT"] is None:
        passed = request.form.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if passed:
            return passed
    return generate_csrf()


@contextmanager
def token_stand_in():
    """While rendering what is kept for many visitors, ``csrf_token()`` gives the stand-in (generate_csrf answers
    what ``g`` holds); the visitor's own token is made first, so the session has it."""
    token = generate_csrf()
    g.csrf_token = TOKEN
    try:
        yield
    finally:
        g.csrf_token = token
