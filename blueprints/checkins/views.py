"""The resident's side: scan, fill in two fields (or tap once), checked in. No account."""
import secrets

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.checkins import bp
from blueprints.checkins.codes import FORM_MAX_AGE, SCAN_MAX_AGE, forget, remember, remembered, stamp_state
from blueprints.checkins.forms import CheckInForm, OneTapForm
from blueprints.checkins.operations import check_in, erase_resident, window
from core.errors import LifecycleError
from core.limits import limiter
from core.templating import local_datetime
from core.validators import normalize_phone
from models import CheckIn, Event

TWO_YEARS = 2 * 365 * 86400


def event_for_token(token):
    """The event of a check-in code, with the organization and street its page names (one query)."""
    event = (
        Event.with_places().where(Event.checkin_token == token).first()
    )
    if event is None:
        abort(404)
    return event


def problem(event, stamp, max_age):
    """Why this page cannot check anyone in right now, in words for the resident; None when it can."""
    state = window(event)
    if state == "cancelled":
        return _("这个活动已取消，不需要签到。")
    if state == "unavailable":
        return _("这个活动还没有发布，暂时不能签到。")
    if state == "not_yet":
        return _("签到将于 %(when)s 开始，请稍后再扫码。", when=local_datetime(event.checkin_opens_at))
    if state == "closed":
        return _("活动已结束，签到已关闭。")
    if event.checkin_mode == "rotating" and stamp_state(event, stamp, max_age) != "fresh":
        return Expired(_("二维码已过期，请扫描现场屏幕上的最新二维码"))
    return None


class Expired(str):
    """The rotating code's message, recognisable as such (answered with 403)."""


def status_for(reason, otherwise):
    return 403 if isinstance(reason, Expired) else otherwise


def device_key():
    """Limit per browser (a random cookie), else per phone: never per shared venue Wi-Fi address."""
    did = request.cookies.get("did")
    return "device:" + (did or "phone:" + (normalize_phone(request.form.get("phone", "")) or "none"))


def phone_key():
    resident = remembered(request) if request.form.get("one_tap") else None
    phone = resident["p"] if resident else normalize_phone(request.form.get("phone", ""))
    return "checkin-phone:" + (phone or "none")


def page(event, status=200, **context):
    context.setdefault("form", None)
    response = make_response(render_template("checkins/scan.html", event=event, **context), status)
    if not request.cookies.get("did"):
        response.set_cookie("did", secrets.token_urlsafe(16), max_age=TWO_YEARS, httponly=True, samesite="Lax")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<token>")
def scan(token):
    """What the QR code opens: the event, the notice, two fields — or one tap for a remembered resident."""
    event = event_for_token(token)
    stamp = request.args.get("t", "")
    reason = problem(event, stamp, SCAN_MAX_AGE)
    if reason:
        return page(event, status_for(reason, 200), problem=reason)
    resident = remembered(request)
    if resident:
        existing = CheckIn.get_or_none(
            CheckIn.event == event, CheckIn.phone == resident["p"], CheckIn.undone_at.is_null()
        )
        if existing:
            return page(event, checkin=existing, created=False)
        return page(event, resident=resident, one_tap=OneTapForm(key=secrets.token_urlsafe(16), t=stamp))
    return page(event, form=CheckInForm(key=secrets.token_urlsafe(16), t=stamp))


@bp.post("/c/<token>")
@limiter.limit("60 per 10 minutes", key_func=phone_key)
@limiter.limit("60 per 10 minutes", key_func=device_key)
@limiter.limit("3000 per 10 minutes")  # one venue's crowd shares one address: a ceiling, not a gate
def submit(token):
    """Check in: a retry or a second tap returns the first check-in, never a second one."""
    event = event_for_token(token)
    resident = remembered(request) if request.form.get("one_tap") else None
    form = OneTapForm() if resident else CheckInForm()
    reason = problem(event, form.t.data, FORM_MAX_AGE)
    if reason:
        return page(event, status_for(reason, 409), problem=reason)
    if resident is None and not form.validate():
        return page(event, 422, form=form)
    name, phone = (resident["n"], resident["p"]) if resident else (form.name.data, form.phone.data)
    try:
        checkin, created = check_in(
            event, name, phone, minor=bool(getattr(form, "minor", None) and form.minor.data),
            key=form.key.data, device=request.cookies.get("did"),
        )
    except LifecycleError:
        return page(event, 409, problem=problem(event, form.t.data, FORM_MAX_AGE) or _("现在不能签到。"))
    response = page(event, checkin=checkin, created=created)
    remember(response, checkin.name, checkin.phone)
    return response


@bp.post("/c/<token>/forget")
def not_me(token):
    """不是我: this device forgets the remembered resident and shows the empty form."""
    event = event_for_token(token)
    response = redirect(url_for("checkins.scan", token=event.checkin_token, t=request.form.get("t") or None), code=303)
    forget(response)
    return response


@bp.get("/me/")
def me():
    """The resident's own check-ins, as far as this device remembers them."""
    resident = remembered(request)
    checkins = []
    if resident:
        checkins = (
            CheckIn.select(CheckIn, Event)
            .join(Event)
            .where(CheckIn.phone == resident["p"])
            .order_by(CheckIn.created_at.desc())
        )
    return render_template("checkins/me.html", resident=resident, checkins=checkins)


@bp.post("/me/erase")
def erase_me():
    """Delete the name and phone from all of this resident's check-ins, and forget them on this device."""
    resident = remembered(request)
    count = erase_resident(resident["p"]) if resident else 0
    response = make_response(render_template("checkins/me.html", resident=None, checkins=[], erased=count))
    forget(response)
    return response
