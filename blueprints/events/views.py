"""The residents' side, no account needed: find events, read one, add it to a calendar, sign up."""
from flask import abort, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from blueprints.events import bp
from blueprints.events.calendar import ics_for
from blueprints.events.forms import SignupForm
from blueprints.events.signups import cancel_signup, confirmed, position, sign_up
from core.access import can_manage_event, event_or_404
from core.errors import LifecycleError
from core.htmx import page_arg, render_part
from core.limits import address_key, configured, device_key, keep_device, limiter, page_device, phone_key
from core.timeutil import period_end
from core.urls import absolute_url
from core.validators import parse_id
from models import SERVICE_FIELDS, Event, Signup, Street

PER_PAGE = 20


@bp.get("/events/", endpoint="list")
def event_list():
    """Upcoming events, by street, by 今天 / 本周 / 本月 and by kind; "load more" works without JavaScript too."""
    street, when, kind = request.args.get("street", ""), request.args.get("when", ""), request.args.get("kind", "")
    page = page_arg()
    events = Event.upcoming()
    if street:
        events = events.where(Street.slug == street)
    if period_end(when):
        events = events.where(Event.starts_at < period_end(when))
    if kind in SERVICE_FIELDS:
        events = events.where(Event.category == kind)
    month = request.args.get("month", "")
    if month:  # 伙伴月: ?month=1 any partner month, ?month=<campaign id> that one
        events = events.where(Event.campaign.is_null(False))
        campaign_id = parse_id(month)
        if campaign_id is not None and campaign_id != 1:
            events = events.where(Event.campaign == campaign_id)
    rows = [*events.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)]  # one more tells whether there is more
    return render_part(
        "events/list.html", "events/_items.html",
        events=rows[:PER_PAGE], more=len(rows) > PER_PAGE, page=page, street=street, when=when, kind=kind, month=month,
        streets=Street.select().order_by(Street.code),
    )


@bp.get("/events/<int:event_id>")
def detail(event_id):
    """One event: who, when, where, places left, sign-up, calendar."""
    event = event_or_404(event_id)
    signup = Signup.get_or_none(Signup.token == session.get("signups", {}).get(str(event.id), ""))
    places_left = None if event.capacity is None else max(event.capacity - confirmed(event).count(), 0)
    page_device()  # the sign-up form's limits count per browser
    return keep_device(make_response(render_template(
        "events/detail.html", event=event, places_left=places_left, form=SignupForm(), signup=signup,
        can_manage=can_manage_event(current_user, event),
        signup_position=position(signup) if signup and signup.status != "cancelled" else None,
    )))


@bp.get("/events/<int:event_id>/calendar.ics")
def calendar(event_id):
    """加入日历: the event as an iCalendar file."""
    event = event_or_404(event_id)
    response = make_response(ics_for(event, absolute_url("events.detail", event_id=event.id)))
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
    return response


def per_event(key_func):
    """A limit key for this event only: one event's places are what a script would take."""
    return lambda: f"signup:{request.view_args.get('event_id')}:{key_func()}"


def made_a_signup(response):
    return bool(g.get("new_signup"))


@bp.post("/events/<int:event_id>/signup")
@limiter.limit("10 per hour", key_func=phone_key)
# Sign-ups made, per event: per browser (or per address, for a client that keeps no cookie) and per address.
@limiter.limit(
    configured("SIGNUP_LIMIT_PER_DEVICE"), key_func=per_event(device_key), deduct_when=made_a_signup,
    error_message=_l("这台手机为这个活动报名的人数已达上限。如需为更多人报名，请联系主办方。"),
)
@limiter.limit(
    configured("SIGNUP_LIMIT_PER_ADDRESS"), key_func=per_event(address_key), deduct_when=made_a_signup,
    error_message=_l("这个活动的报名太集中了，请过一会儿再试。"),
)
@limiter.limit("600 per hour")
def signup(event_id):
    """A resident signs up with name, phone and consent."""
    event = event_or_404(event_id)
    form = SignupForm()
    if not form.validate_on_submit():
        places_left = None if event.capacity is None else max(event.capacity - confirmed(event).count(), 0)
        return render_template(
            "events/detail.html", event=event, form=form, places_left=places_left, signup=None,
            can_manage=can_manage_event(current_user, event),
        ), 422
    try:
        record, created = sign_up(event, form.name.data, form.phone.data)
    except LifecycleError as error:
        flash(str(error), "error")
        return redirect(url_for("events.detail", event_id=event.id), code=303)
    g.new_signup = created
    if not created:
        # Only the device that signed up may open the sign-up: a phone number alone must not reveal or cancel it.
        flash(_("这个手机号已经报名了。如需查看或取消，请用报名时的手机打开本页。"), "info")
        return redirect(url_for("events.detail", event_id=event.id) + "#signup", code=303)
    remember_signup(record)
    return redirect(url_for("events.my_signup", token=record.token), code=303)


def remember_signup(record):
    """This device remembers its sign-ups, so the event page shows them and they can be cancelled."""
    session.permanent = True
    session["signups"] = {**session.get("signups", {}), str(record.event_id): record.token}


@bp.get("/signups/<token>")
def my_signup(token):
    """The resident's own sign-up: confirmed or waiting, their place, and a way to cancel."""
    record = Signup.get_or_none(Signup.token == token)
    if record is None:
        abort(404)
    response = make_response(render_template(
        "events/signup.html", signup=record, event=record.event, position=position(record),
        # 取消报名 is two steps: the first tap only opens this confirmation, so one stray tap changes nothing.
        confirming=request.args.get("confirm") == "1",
    ))
    response.headers["Cache-Control"] = "no-store"  # it names the resident: no copy on a shared phone or a proxy
    return response


@bp.post("/signups/<token>/cancel")
def cancel_my_signup(token):
    """The resident cancels; the first on the waiting list moves up."""
    record = Signup.get_or_none(Signup.token == token)
    if record is None:
        abort(404)
    cancel_signup(record)
    flash(_("已取消报名"), "success")
    return redirect(url_for("events.my_signup", token=token), code=303)
