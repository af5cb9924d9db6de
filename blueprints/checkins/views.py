"""The resident's side: scan, fill in two fields (or tap once), checked in. No account.

What a device may see is what it did itself: a phone number typed on another device answers only "already checked
in", and /me/ lists the check-ins made on this device (by the keyed hash of its device cookie).
"""
import logging
import secrets
import time

from flask import abort, current_app, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from blueprints.checkins import bp
from blueprints.checkins.codes import (
    FORM_MAX_AGE,
    SCAN_MAX_AGE,
    forget,
    form_pass,
    pass_state,
    remember,
    remembered,
    stamp_state,
)
from blueprints.checkins.forms import CheckInForm, OneTapForm
from blueprints.checkins.operations import DECIDING, EventChanged, check_in, erase_device_checkins, window
from blueprints.events.queries import signups_for_tokens
from blueprints.events.signups import position
from core.errors import LifecycleError, ValidationError, render_error
from core.limits import (
    UNLIMITED_BY_FLASK_LIMITER,
    Bound,
    address_hash,
    address_key,
    configured,
    counted,
    device_hash,
    device_key,
    keep_device,
    page_device,
    pseudonym,
    request_device,
)
from core.shell import keep, render_in_shell, token_stand_in
from core.templating import local_datetime
from core.validators import mask_phone, normalize_phone
from models import CheckIn, Event, Organization, Street, db, execute_prepared

log = logging.getLogger(__name__)


#: What the resident's page and the check-in read of an event, and of its organization and street (the privacy
#: notice names them): one row, one query.
EVENT_FIELDS = (
    Event.id, Event.title, Event.starts_at, Event.ends_at, Event.venue, Event.status, Event.checkin_mode,
    Event.checkin_token, Event.checkin_lead_minutes, Event.organization, Event.street,
)
#: Its SQL text, built by peewee once per database (building it cost more than running it).
_EVENT_SQL = {}
#: Where the columns that decide a check-in (operations.DECIDING) are in its rows.
_DECIDING_AT = tuple(next(i for i, field in enumerate(EVENT_FIELDS) if field is f) for f in DECIDING)


def load_event(token):
    """The event of a check-in code with the columns its page needs, its organization's and street's names; or None."""
    sql = _EVENT_SQL.get(type(db.obj))
    if sql is None:
        query = (
            Event.select(*EVENT_FIELDS, Organization.name, Organization.contact_name, Street.name)
            .join(Organization).switch(Event).join(Street, on=(Event.street == Street.id))
            .where(Event.checkin_token == "")
        )
        sql = _EVENT_SQL[type(db.obj)] = query.sql()[0]
    row = execute_prepared("checkin_event", sql, (token or "",)).fetchone()
    if row is None:
        return None
    columns = zip(EVENT_FIELDS, row[:len(EVENT_FIELDS)], strict=True)
    event = Event(**{f.name: f.python_value(value) for f, value in columns})
    event.organization = Organization(id=event.organization_id, name=row[-3], contact_name=row[-2])
    event.street = Street(id=event.street_id, name=row[-1])
    event._dirty.clear()
    # What decides a check-in, as the database gave it: the check-in is written only while the row still holds it.
    event.as_read = tuple(row[i] for i in _DECIDING_AT)
    return event


def event_for_token(token):
    """The event of a check-in code, as load_event reads it; 404 when there is none."""
    event = load_event(token)
    if event is None:
        abort(404)
    return event


#: Events as check-in pages last read them, by code: (event, when read).
_PAGE_EVENTS = {}


def page_event(token, fresh=False):
    """The event of a check-in page, as load_event reads it; each worker keeps what it read for
    CHECKIN_PAGE_EVENT_SECONDS, since a venue's crowd opens the page of one event hundreds of times a minute.
    ``fresh``: read it now (and keep that).

    A change to the event (cancelled, moved, retitled) reaches the page that much later. A submission is decided on
    what is kept only when it is checked in, and its write makes sure the event still is as read (submit).
    """
    seconds = current_app.config["CHECKIN_PAGE_EVENT_SECONDS"]
    if not seconds:
        return event_for_token(token)
    now = time.monotonic()
    event, read_at = _PAGE_EVENTS.get(token, (None, None))
    if fresh or event is None or now - read_at >= seconds:
        event, _read_at = keep(_PAGE_EVENTS, token, (event_for_token(token), now))
    return event


class Problem(str):
    """Why this page cannot check anyone in, in words for the resident; ``status`` is the answer to a POST."""

    status = 409


class Expired(Problem):
    """The rotating code (or the form it opened) is too old: scan the screen again."""

    status = 403


class Stale(Problem):
    """The form is not one this device opened from this event's page: open the page again."""

    status = 400


def closed(event):
    """Why the event takes no check-in right now, or None when it does."""
    state = window(event)
    if state == "cancelled":
        return Problem(_("这个活动已取消，不需要签到。"))
    if state == "unavailable":
        return Problem(_("这个活动还没有发布，暂时不能签到。"))
    if state == "not_yet":
        return Problem(_("签到将于 %(when)s 开始，请稍后再扫码。", when=local_datetime(event.checkin_opens_at)))
    if state == "closed":
        return Problem(_("活动已结束，签到已关闭。"))
    return None


def expired():
    return Expired(_("二维码已过期，请扫描现场屏幕上的最新二维码"))


def opening(event, t):
    """(when the form's window began, or None for now; why the page cannot open) for a GET with ``t``.

    A rotating code opens the form for SCAN_MAX_AGE after the screen showed it. A form's own pass re-opens the form
    on the device it was made for (不是我, a reload), keeping its window: it never grows a new one.
    """
    reason = closed(event)
    if reason or event.checkin_mode != "rotating":
        return None, reason
    if stamp_state(event, t, SCAN_MAX_AGE) == "fresh":
        return None, None
    state, _key, at = pass_state(event, t, request_device(), FORM_MAX_AGE)
    return (at, None) if state == "fresh" else (None, expired())


def refused(event, form):
    """(the form's key, or why this POST is refused): the device cookie, and the form's own pass for this device."""
    device = request_device()
    if device is None:
        return None, Stale(_("没有收到本页的签到凭证，请刷新页面后再签到；如果还不行，请找现场志愿者代为签到。"))
    rotating = event.checkin_mode == "rotating"
    state, key, _at = pass_state(event, form.t.data, device, FORM_MAX_AGE if rotating else None)
    if state != "fresh" or form.key.data != key:
        return None, expired() if rotating else Stale(_("页面已过期，请刷新后重新填写"))
    return key, None


def fresh(event, at=None):
    """A new form's hidden values for one page load: a new key, and its pass for this device (dated ``at`` when
    re-opened). The page writes its fields out itself (checkins/_scan_body.html); CheckInForm reads them back."""
    key = secrets.token_urlsafe(16)
    return {"key": key, "t": form_pass(event, key, page_device(), at=at)}


#: Rendered headers and privacy notices of events' check-in pages, by everything they show (static_parts).
_STATIC = {}


def static_parts(event):
    """The event's header and privacy notice as HTML, rendered once per event, its wording and the language, and
    the page's links; its empty form is kept here too (page_body)."""
    organization, street = event.organization, event.street
    key = (
        event.id, event.checkin_token, event.title, event.starts_at, event.ends_at, event.venue, organization.name,
        organization.contact_name, street.name, str(get_locale()), request.cookies.get("lang"),
        current_app.config["RETENTION_DAYS"],
    )
    parts = _STATIC.get(key)
    if parts is None:
        header, _marker, notice = render_template("checkins/_scan_static.html", event=event).partition("<!--notice-->")
        token = event.checkin_token
        parts = keep(_STATIC, key, {
            "header": Markup(header.strip("\n")), "notice": Markup(notice.strip("\n")),
            "urls": {"scan": url_for("checkins.scan", token=token), "submit": url_for("checkins.submit", token=token),
                     "not_me": url_for("checkins.not_me", token=token), "me": url_for("checkins.me")},
        })
    return parts


#: Stand-ins for what differs between residents in an event's kept parts (page_body): a new form's key and pass; a
#: new check-in's time, number, name, masked phone and the pass of its 换一个人 button.
HOLES = {name: f"{name}-{secrets.token_hex(8)}" for name in ("key", "t", "when", "number", "name", "phone", "again")}


def kept(event, parts, variant, values, context):
    """The body ``variant``, rendered once per event and language with ``context(stand-ins for values)``, and
    ``values`` put in (HTML-escaped) where their stand-ins are."""
    html = parts.get(variant)
    if html is None:
        stand_ins = {name: Markup(HOLES[name]) for name in values}
        with token_stand_in():
            html = parts[variant] = render_template(
                "checkins/_scan_body.html", event=event, static=parts, **context(stand_ins)
            )
    for name, value in values.items():
        html = html.replace(HOLES[name], str(escape(value)))
    return html


def page_body(event, context):
    """The page's body. What nearly every resident gets, the empty form and then 签到成功, is the same for all of an
    event's residents but for a few values: it is kept with the event's header, with stand-ins, and filled per visit.
    Everything else (a mistake, 已签到, one tap, a closed event) is rendered."""
    parts, form, checkin = static_parts(event), context["form"], context.get("checkin")
    if context.keys() == {"form"} and isinstance(form, dict):
        return kept(event, parts, "form", form, lambda holes: {"form": holes})
    if context.keys() == {"form", "checkin", "created", "own", "again"} and context["created"] and context["own"]:
        values = {
            "when": local_datetime(checkin.created_at, "time"), "number": checkin.number, "name": checkin.name,
            "phone": mask_phone(checkin.phone), "again": context["again"] or "",
        }
        return kept(event, parts, "made", values, lambda holes: {
            "checkin": {**holes, "shown": True}, "created": True, "own": True, "again": holes["again"],
        })
    return render_template("checkins/_scan_body.html", event=event, static=parts, **context)


def page(event, status=200, **context):
    """The check-in page; it gives this browser its device cookie when it has none."""
    page_device()
    context.setdefault("form", None)
    html = render_in_shell("checkins/scan.html", page_body(event, context), (event.id, event.title), event=event)
    response = make_response(html, status)
    keep_device(response)
    response.headers["Cache-Control"] = "no-store"
    return response


def result(event, checkin, created, again):
    """签到成功, or 已签到 with the time for this device's own check-in; nothing of anyone else's."""
    own = checkin.device is not None and checkin.device == device_hash(request_device())
    response = page(event, checkin=checkin, created=created, own=own, again=again)
    if own:
        remember(response, checkin.name, checkin.phone)
    return response


@bp.get("/c/<token>")
def scan(token):
    """What the QR code opens: the event, the notice, two fields — or one tap for a remembered resident."""
    event = page_event(token)
    at, reason = opening(event, request.args.get("t", ""))
    if reason:
        return page(event, 403 if isinstance(reason, Expired) else 200, problem=reason)
    resident = remembered(request)
    if resident:
        existing = CheckIn.get_or_none(
            CheckIn.event == event, CheckIn.phone == resident["p"], CheckIn.undone_at.is_null()
        )
        if existing:
            return result(event, existing, False, again=fresh(event, at)["t"])
        return page(event, resident=resident, one_tap=fresh(event, at))
    return page(event, form=fresh(event, at))


def phone_key():
    """The phone a check-in names (the remembered one for one tap), hashed."""
    resident = remembered(request) if request.form.get("one_tap") else None
    phone = resident["p"] if resident else normalize_phone(request.form.get("phone", ""))
    return "checkin-phone:" + pseudonym("phone", phone or "none")


def event_address_key():
    """This event and this address (hashed): a venue's crowd shares it, so does a script's every request."""
    return f"checkin-event:{request.view_args.get('token', '')[:64]}:{address_hash()}"


#: What a resident is told when a limit stops a check-in (the form stays filled in).
BUSY = _l("现场签到的人太多了，请稍等一分钟再点「签到」。")
TOO_OFTEN = _l("这台手机提交得太频繁了，请过几分钟再试；也可以找现场志愿者代为签到。")

#: A check-in's limits, counted together in one round trip to Redis (core.limits.counted): its crowd comes at once.
BOUNDS = (
    Bound(configured("CHECKIN_LIMIT_PER_PHONE"), phone_key, TOO_OFTEN),
    Bound(configured("CHECKIN_LIMIT_PER_DEVICE"), device_key, TOO_OFTEN),
    # Counts check-ins made, not requests: a crowd's typos and double taps do not use up its venue's allowance.
    Bound(configured("CHECKIN_LIMIT_PER_ADDRESS"), event_address_key, BUSY, only_made=True),
    Bound("3000 per 10 minutes", address_key, BUSY),  # any address, all events: a ceiling, not a gate
)


UNLIMITED_BY_FLASK_LIMITER.update({"checkins.scan", "checkins.submit"})


@bp.post("/c/<token>")
def submit(token):
    """Check in: a retry or a second tap returns the first check-in, never a second one.

    Decided first on the event as this worker's pages read it (page_event), whose check-in is written only while the
    event's row still holds what decided it (check_in's ``as_read``). Anything else, a refusal or an event changed
    since, is decided again on the event read afresh.
    """
    with counted(BOUNDS) as made:
        return checked_in(page_event(token), made, kept=True) or checked_in(page_event(token, fresh=True), made)


def checked_in(event, made, kept=False):
    """The answer to a check-in at ``event``; None, when ``kept`` (the event as read a moment ago), for anything but a
    check-in made or found: the caller decides again on the event read afresh."""
    resident = remembered(request) if request.form.get("one_tap") else None
    form = OneTapForm() if resident else CheckInForm()
    reason = closed(event)
    key = None
    if not reason:
        key, reason = refused(event, form)
    if reason:
        return None if kept else page(event, reason.status, problem=reason, reload=isinstance(reason, Stale))
    if resident is None and not form.validate():
        return page(event, 422, form=form)
    name, phone = (resident["n"], resident["p"]) if resident else (form.name.data, form.phone.data)
    try:
        checkin, created = check_in(
            event, name, phone, minor=bool(getattr(form, "minor", None) and form.minor.data),
            key=key, device=device_hash(request_device()), address=address_hash(), as_read=event.as_read,
        )
    except EventChanged:
        if kept:
            return None
        return page(event, 409, problem=_("现在不能签到。"))
    except LifecycleError:
        return page(event, 409, problem=closed(event) or _("现在不能签到。"))
    except ValidationError as error:
        return page(event, 400, problem=Stale(str(error)), reload=True)
    if created:
        made()
    return result(event, checkin, created, again=form.t.data)


@bp.errorhandler(429)
def too_many(error):
    """A check-in stopped by a limit keeps its page and what was typed, and says what to do."""
    limit = getattr(error, "limit", None)
    text = str(getattr(limit, "error_message", None) or "") or None
    log.warning("rate limit hit on %s: %s", request.endpoint, getattr(limit, "limit", ""))  # the limit, no key
    event = load_event((request.view_args or {}).get("token")) if request.endpoint == "checkins.submit" else None
    if event is None:
        return render_error(429, text)
    resident = remembered(request) if request.form.get("one_tap") else None
    if resident:
        form = OneTapForm()
        return page(event, 429, notice=text, resident=resident, one_tap={"key": form.key.data, "t": form.t.data})
    return page(event, 429, notice=text, form=CheckInForm())


@bp.post("/c/<token>/forget")
def not_me(token):
    """不是我 / 换一个人: this device forgets the remembered resident and shows the empty form."""
    event = event_for_token(token)
    response = redirect(url_for("checkins.scan", token=event.checkin_token, t=request.form.get("t") or None), code=303)
    forget(response)
    return response


def my_checkins():
    """The check-ins this device made (by its hashed device id) whose names and phones are still kept."""
    device = device_hash(request_device())
    if device is None:
        return []
    return list(
        CheckIn.select(CheckIn, Event)
        .join(Event)
        .where(CheckIn.device == device, CheckIn.erased_at.is_null())
        .order_by(CheckIn.created_at.desc())
    )


def my_signups():
    """(sign-up, place in line) for the sign-ups this device made, remembered in its session."""
    tokens = session.get("signups", {})
    records = signups_for_tokens(tokens.values() if isinstance(tokens, dict) else [])
    return [(s, position(s) if s.status != "cancelled" else None) for s in records]


@bp.get("/me/")
def me():
    """What this device did: its sign-ups, its own check-ins, and the resident it remembers for one tap."""
    response = make_response(render_template(
        "checkins/me.html", resident=remembered(request), checkins=my_checkins(), signups=my_signups(),
        # 删除我的签到信息 is two steps: the first tap only opens this confirmation.
        confirming=request.args.get("confirm") == "1",
    ))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/me/erase")
def erase_me():
    """Delete the names and phones of this device's check-ins, and forget the remembered resident."""
    count = erase_device_checkins(device_hash(request_device()))
    response = make_response(
        render_template("checkins/me.html", resident=None, checkins=[], signups=my_signups(), erased=count)
    )
    response.headers["Cache-Control"] = "no-store"
    forget(response)
    return response
