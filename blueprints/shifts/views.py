"""签到上岗 / 签退 on the event's manage page; the org admin's roster, corrections and CSV."""
import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.shifts import bp, operations, queries
from blueprints.shifts.forms import CorrectForm
from blueprints.shifts.hours import DEFAULT_ROUNDING
from blueprints.shifts.policy import administer
from core.access import event_or_404, membership_of
from core.errors import LifecycleError, ValidationError
from core.exports import csv_response
from core.forms import apply_errors
from core.htmx import wants_fragment
from core.policy import can
from core.templating import local_datetime
from core.urls import safe_next
from models import AuditLog, Shift


def local_day(value):
    """2026-11-27: the Shanghai date of a stored naive-UTC timestamp, as the volunteer platforms take it."""
    return format_datetime(value.replace(tzinfo=datetime.UTC), "yyyy-MM-dd")


@bp.app_template_global()
def shift_panel(event):
    """What the manage page's panel shows the current member: their open shift, whether they may sign in, hours."""
    if membership_of(current_user, event.organization) is None:
        return None
    user = current_user._get_current_object()
    mine = [s for s in queries.shifts_of(event) if s.volunteer_id == current_user.id]
    current = next((s for s in mine if s.ended_at is None), None)
    return dict(
        current=current, may_start=can(current_user, "start", Shift(event=event, volunteer=user)),
        is_on=queries.is_on(event), total=sum((queries.hours_of(s) for s in mine if s.ended_at), start=0),
        is_admin=can(user, "correct", Shift(event=event)), grace=queries.GRACE_HOURS,
    )


def panel_answer(event, message=None, error=None, status=200):
    """htmx: the panel in place (a refusal as 422, which htmx swaps in); without JavaScript: back to the manage
    page with the message, or to ``next`` (the volunteer code's page)."""
    if wants_fragment():
        return render_template("shifts/_panel.html", event=event, message=message, error=error), status
    flash(error or message, "error" if error else "success")
    back = safe_next() or url_for("events.manage", event_id=event.id, _anchor="shift-panel")
    return redirect(back, code=303)


@bp.post("/events/<int:event_id>/shifts/start")
@login_required
def start(event_id):
    event = event_or_404(event_id, manage=True)
    try:
        shift = operations.start(event, current_user._get_current_object())
    except LifecycleError as error:
        return panel_answer(event, error=str(error), status=422)
    return panel_answer(event, _("已签到上岗（%(when)s）", when=local_datetime(shift.started_at, "time")))


@bp.post("/events/<int:event_id>/shifts/stop")
@login_required
def stop(event_id):
    event = event_or_404(event_id, manage=True)
    shift = queries.open_shift(event, current_user)
    if shift is None:
        if membership_of(current_user, event.organization) is None:
            abort(403)
        return panel_answer(event, error=_("你还没有签到上岗"), status=422)
    operations.stop(shift, current_user._get_current_object())
    return panel_answer(event, _("已签退，本次计 %(h)s 小时", h=queries.hours_of(shift)))


def roster_page(event, bad=None, form=None, status=200):
    shifts = queries.shifts_of(event)
    return render_template(
        "shifts/roster.html", event=event, shifts=shifts, hours_of=queries.hours_of, bad=bad, bad_form=form,
        total=sum((queries.hours_of(s) for s in shifts), start=0), default_rule=queries.rounding() == DEFAULT_ROUNDING,
    ), status


@bp.get("/events/<int:event_id>/shifts")
@login_required
def roster(event_id):
    """志愿服务时长: everybody's shifts, phones masked, times in Shanghai, hours, and a correction form per entry."""
    event = event_or_404(event_id, manage=True)
    administer(current_user, event)
    return roster_page(event)


@bp.post("/shifts/<int:shift_id>/correct")
@login_required
def correct(shift_id):
    """The org admin corrects an entry's hours with a reason: in place with htmx, else back to the roster."""
    shift = queries.event_shift_or_none(shift_id)
    if shift is None:
        abort(404)
    event = event_or_404(shift.event_id, manage=True)
    form = CorrectForm()
    try:
        if not form.validate():
            raise ValidationError({name: errors[0] for name, errors in form.errors.items() if name != "csrf_token"}
                                  or {"": _("页面已过期，请刷新后再试")})
        operations.correct(shift, current_user._get_current_object(), form.hours.data, form.reason.data)
    except ValidationError as error:
        form = CorrectForm(formdata=None, hours=form.hours.data, reason=form.reason.data)
        apply_errors(form, error)
        if wants_fragment():
            return render_template("shifts/_row.html", event=event, s=shift, hours_of=queries.hours_of,
                                   bad=shift.id, bad_form=form), 422
        return roster_page(event, shift.id, form, 422)
    if wants_fragment():
        return render_template("shifts/_row.html", event=event, s=shift, hours_of=queries.hours_of,
                               message=_("已修改")), 200
    flash(_("已修改 %(name)s 的时长", name=shift.volunteer.name), "success")
    return redirect(url_for("shifts.roster", event_id=event.id, _anchor=f"shift-{shift.id}"), code=303)


def export_rows(event):
    yield [_("姓名"), _("手机号"), _("活动"), _("日期"), _("签到时间"), _("签退时间"), _("时长（小时）")]
    for s in queries.shifts_of(event):
        if s.ended_at is None:
            continue  # still signed in: nothing to enter yet
        yield [
            s.volunteer.name, s.volunteer.phone, event.title, local_day(s.started_at),
            local_datetime(s.started_at, "time"), local_datetime(s.ended_at, "time"), str(queries.hours_of(s)),
        ]


@bp.get("/events/<int:event_id>/shifts.csv")
@login_required
def export(event_id):
    """The hours for Shanghai's volunteer platforms: full phones (they need them), for the org admin, logged."""
    event = event_or_404(event_id, manage=True)
    administer(current_user, event)
    AuditLog.record(current_user, "shift.export", event, street=event.street)
    return csv_response(export_rows(event), f"shifts-{event.id}.csv")
