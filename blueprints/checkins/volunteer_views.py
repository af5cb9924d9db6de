"""The volunteers' side at the venue: a live counter, the roster, manual check-in, undo, exports."""
import re
import secrets
import unicodedata

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.checkins import bp
from blueprints.checkins.forms import ManualCheckInForm, UndoForm
from blueprints.checkins.operations import check_in, counted, undo
from core.access import event_or_404, membership_of
from core.errors import LifecycleError, ValidationError
from core.exports import csv_response, xlsx_response
from core.forms import apply_errors
from core.htmx import render_part
from core.policy import require
from core.templating import local_datetime
from core.validators import fold, mask_phone
from models import AuditLog, CheckIn

#: The most of a phone number the roster may be searched by: the four digits its masked form shows anyway.
#: A longer fragment would let anyone who sees the roster rebuild a whole number, digit by digit.
PHONE_ENDING = re.compile(r"\d{1,4}")


def search_terms(q):
    """The roster's search as typed: half-width, without control characters (PostgreSQL refuses NUL), 40 at most."""
    return "".join(c for c in fold(q) if unicodedata.category(c)[0] != "C").strip()[:40]


def roster(event, q=""):
    """The event's check-ins, newest first; ``q`` matches a name, or the last four digits of a phone at most."""
    checkins = event.checkins.order_by(CheckIn.number.desc())
    if PHONE_ENDING.fullmatch(q):
        checkins = checkins.where(CheckIn.name.contains(q) | CheckIn.phone.endswith(q))
    elif q.isdigit():
        checkins = checkins.where(False)  # more digits than the masked phone shows: nothing to find by them
    elif q:
        checkins = checkins.where(CheckIn.name.contains(q))
    return checkins


@bp.get("/events/<int:event_id>/checkins")
@login_required
def manage(event_id):
    """签到管理: the counter, the manual form, the searchable roster (phones masked)."""
    event = event_or_404(event_id, manage=True)
    return manage_page(event, ManualCheckInForm(key=secrets.token_urlsafe(16)), search_terms(request.args.get("q", "")))


def manage_page(event, form, q="", status=200):
    return render_part(
        "checkins/manage.html", "checkins/_roster.html",
        event=event, checkins=roster(event, q), q=q, attendance=counted(event).count(), form=form,
        undo_form=UndoForm(), membership=membership_of(current_user, event.organization),
    ), status


@bp.get("/events/<int:event_id>/checkins/count")
@login_required
def count(event_id):
    """The live counter, polled by the manage page and the venue screen."""
    event = event_or_404(event_id, manage=True)
    return render_template("checkins/_count.html", event=event, attendance=counted(event).count())


@bp.post("/events/<int:event_id>/checkins")
@login_required
def manual(event_id):
    """A volunteer checks in a resident who has no phone (the method and the volunteer are recorded)."""
    event = event_or_404(event_id, manage=True)
    require(current_user, "record_checkin", event)
    form = ManualCheckInForm()
    if form.validate_on_submit():
        try:
            checkin, created = check_in(
                event, form.name.data, form.phone.data, key=form.key.data, method="manual", by=current_user
            )
        except LifecycleError as error:
            flash(str(error), "error")
        except ValidationError as error:  # the form's key belongs to another event: nothing is stored
            apply_errors(form, error)
            return manage_page(event, form, status=422)
        else:
            if created:
                message = _("已为 %(name)s 签到（第 %(n)s 位）", name=checkin.name, n=checkin.number)
            else:
                message = _(
                    "%(name)s 已于 %(when)s 签到", name=checkin.name, when=local_datetime(checkin.created_at, "time")
                )
            flash(message, "success")
            return redirect(url_for("checkins.manage", event_id=event.id), code=303)
    return manage_page(event, form, status=422)


@bp.post("/events/<int:event_id>/checkins/<int:checkin_id>/undo")
@login_required
def undo_checkin(event_id, checkin_id):
    """Undo a wrong check-in, with a reason (audit-logged)."""
    event = event_or_404(event_id, manage=True)
    checkin = CheckIn.get_or_none(CheckIn.id == checkin_id, CheckIn.event == event)
    if checkin is None:
        abort(404)
    require(current_user, "undo", checkin)
    form = UndoForm()
    try:
        if not form.validate():
            raise ValidationError({"reason": " ".join(str(e) for e in form.reason.errors)})
        undo(checkin, current_user, form.reason.data)
    except (ValidationError, LifecycleError) as error:
        flash(str(error), "error")
    else:
        flash(_("已撤销第 %(n)s 位的签到", n=checkin.number), "success")
    return redirect(url_for("checkins.manage", event_id=event.id), code=303)


def export_rows(event, full):
    yield [_("序号"), _("姓名"), _("手机号"), _("签到时间"), _("方式"), _("监护人代签"), _("状态")]
    for c in event.checkins.order_by(CheckIn.number):
        yield [
            c.number, c.name or _("（已删除）"), (c.phone if full else mask_phone(c.phone)) or "",
            local_datetime(c.created_at), _("扫码") if c.method == "qr" else _("志愿者代签"),
            _("是") if c.minor else "", _("已撤销") if c.undone_at else _("有效"),
        ]


def export_allowed(event):
    """Masked for anyone who may see the event; full numbers only for the org admin, and logged."""
    full = request.args.get("full") == "1"
    if full:
        require(current_user, "export_phones", event)
        AuditLog.record(current_user, "checkin.export_full", event, detail=request.path, street=event.street)
    return full


@bp.get("/events/<int:event_id>/checkins.csv")
@login_required
def export_csv(event_id):
    """Attendance as CSV (UTF-8 with BOM, so Excel reads the Chinese)."""
    event = event_or_404(event_id, manage=True)
    return csv_response(export_rows(event, export_allowed(event)), f"checkins-{event.id}.csv")


@bp.get("/events/<int:event_id>/checkins.xlsx")
@login_required
def export_xlsx(event_id):
    """Attendance as an Excel workbook."""
    event = event_or_404(event_id, manage=True)
    return xlsx_response(export_rows(event, export_allowed(event)), f"checkins-{event.id}.xlsx", _("签到名单"))
