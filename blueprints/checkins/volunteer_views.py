"""The volunteers' side at the venue: a live counter, the roster, manual check-in, undo, exports."""
import hashlib
import re
import secrets
import unicodedata

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from peewee import fn

from blueprints.checkins import bp
from blueprints.checkins.forms import ManualCheckInForm, UndoForm
from blueprints.checkins.operations import check_in, counted, namesake, undo
from core.access import event_or_404, membership_of
from core.errors import LifecycleError, ValidationError
from core.exports import csv_response, xlsx_response
from core.forms import apply_errors
from core.htmx import render_part, wants_fragment
from core.policy import require
from core.templating import local_datetime
from core.urls import absolute_url
from core.validators import fold, mask_phone, parse_id
from models import AuditLog, CheckIn

#: The most of a phone number the roster may be searched by: the four digits its masked form shows anyway.
#: A longer fragment would let anyone who sees the roster rebuild a whole number, digit by digit.
PHONE_ENDING = re.compile(r"\d{1,4}")
#: How many check-ins the roster shows at once, newest first; 加载更多 brings the next ones. An event of 3,000
#: check-ins is then a page of a few dozen KB, and its search answers from the database, not from the whole list.
ROSTER_PAGE = 50


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


def roster_page(event, q="", before=None):
    """One page of the roster: (check-ins, whether there are more). ``before``: the page after the one that ended
    with that number. Paged by number, not by offset, so check-ins arriving meanwhile neither repeat nor skip one."""
    checkins = roster(event, q)
    if before is not None:
        checkins = checkins.where(CheckIn.number < before)
    rows = [*checkins.limit(ROSTER_PAGE + 1)]  # one more tells whether there is more
    return rows[:ROSTER_PAGE], len(rows) > ROSTER_PAGE


@bp.get("/events/<int:event_id>/checkins")
@login_required
def manage(event_id):
    """签到管理: the counter, the manual form, the searchable roster (phones masked), a page at a time."""
    event = event_or_404(event_id, manage=True)
    before = parse_id(request.args.get("before", ""))
    return manage_page(
        event, ManualCheckInForm(key=secrets.token_urlsafe(16)), search_terms(request.args.get("q", "")), before=before
    )


def manage_page(event, form, q="", status=200, before=None):
    # htmx: a search swaps the whole roster; 加载更多 (``before``) appends the next page in place of its button.
    return render_part(
        "checkins/manage.html", "checkins/_roster.html" if before is None else "checkins/_roster_items.html",
        **roster_context(event, q, before), form=form,
        checkin_link=absolute_url("checkins.scan", token=event.checkin_token),
    ), status


def roster_context(event, q="", before=None):
    """What the counter and the roster show, and the version the counter polls with."""
    checkins, more = roster_page(event, q, before)
    return dict(
        event=event, checkins=checkins, more=more, before=before, q=q, attendance=counted(event).count(),
        version=roster_version(event), undo_form=UndoForm(), membership=membership_of(current_user, event.organization),
    )


def roster_version(event):
    """A short fingerprint of the event's check-ins: it changes with every check-in, undo, re-check-in or erasure."""
    row = (
        CheckIn.select(
            fn.COUNT(CheckIn.id), fn.MAX(CheckIn.id), fn.MAX(CheckIn.created_at),
            fn.COUNT(CheckIn.undone_at), fn.MAX(CheckIn.undone_at), fn.COUNT(CheckIn.erased_at),
        )
        .where(CheckIn.event == event)
        .tuples()
        .get()
    )
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


@bp.get("/events/<int:event_id>/checkins/count")
@login_required
def count(event_id):
    """The live counter, polled by the manage page; with ``roster=1`` the roster (searched by ``q``) comes along.

    The poll names the version it shows (``v``): when nothing changed, 204 and nothing is sent or swapped.
    """
    event = event_or_404(event_id, manage=True)
    if wants_fragment() and request.args.get("v") == roster_version(event):
        return "", 204
    with_roster = request.args.get("roster") == "1"
    return render_template(
        "checkins/_count.html", **roster_context(event, search_terms(request.args.get("q", ""))),
        poll_roster=with_roster, oob_roster=with_roster,
    )


@bp.post("/events/<int:event_id>/checkins")
@login_required
def manual(event_id):
    """A volunteer checks in a resident who has no phone (the method and the volunteer are recorded).

    From htmx the answer stays in place for the next resident in the queue: the form again, empty, the entry just
    made with its undo, and the counter and roster out of band. Without JavaScript: a redirect to the page, as ever.
    """
    event = event_or_404(event_id, manage=True)
    require(current_user, "record_checkin", event)
    form = ManualCheckInForm()
    if not form.validate_on_submit():
        return manual_answer(event, form, status=422)
    try:
        checkin, created = check_in(
            event, form.name.data, form.phone.data, key=form.key.data, method="manual", by=current_user
        )
    except LifecycleError as error:
        return manual_answer(event, form, error=str(error), status=422)
    except ValidationError as error:  # the form's key belongs to another event: nothing is stored
        apply_errors(form, error)
        return manual_answer(event, form, status=422)
    if created:
        message = _("已为 %(name)s 签到（第 %(n)s 位）", name=checkin.name, n=checkin.number)
    else:
        message = _("%(name)s 已于 %(when)s 签到", name=checkin.name, when=local_datetime(checkin.created_at, "time"))
    # The same name without a phone, twice: perhaps one resident entered twice, perhaps two namesakes. Checked in
    # all the same (a queue must not stop for it); the warning and the undo beside it let the volunteer decide.
    twin = namesake(checkin) if created and not checkin.phone else None
    warning = None
    if twin:
        warning = _(
            "已有同名的“%(name)s”（第 %(n)s 位）签到；如果是同一个人，请撤销这一条", name=twin.name, n=twin.number
        )
    if not wants_fragment():
        flash(message, "success")
        if warning:
            flash(warning, "warning")
        return redirect(url_for("checkins.manage", event_id=event.id), code=303)
    return manual_answer(
        event, ManualCheckInForm(formdata=None, key=secrets.token_urlsafe(16)), made=checkin, message=message,
        warning=warning,
    )


def manual_answer(event, form, status=200, **context):
    """The manual form's answer: the whole page, or (htmx) the form in place with the counter and roster."""
    if not wants_fragment():
        if context.get("error"):
            flash(context["error"], "error")
        return manage_page(event, form, status=status)
    q = search_terms(request.form.get("q", ""))
    return render_template(
        "checkins/_manual.html", **roster_context(event, q), form=form, poll_roster=True, oob_counter=True,
        oob_roster=True, **context,
    ), status


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
    # Labels translated once, times formatted once a minute (what they show): per row, a few thousand times over,
    # each would cost more than reading the row.
    deleted, qr, manual = _("（已删除）"), _("扫码"), _("志愿者代签")
    yes, undone, valid = _("是"), _("已撤销"), _("有效")
    minutes = {}
    columns = (CheckIn.number, CheckIn.name, CheckIn.phone, CheckIn.created_at, CheckIn.method, CheckIn.minor,
               CheckIn.undone_at)
    # Read as the file is written (iterator: no cache of model objects), only the columns the file shows.
    for c in CheckIn.select(*columns).where(CheckIn.event == event).order_by(CheckIn.number).iterator():
        minute = c.created_at.replace(second=0, microsecond=0)
        if minute not in minutes:
            minutes[minute] = local_datetime(minute)
        yield [
            c.number, c.name or deleted, (c.phone if full else mask_phone(c.phone)) or "", minutes[minute],
            qr if c.method == "qr" else manual, yes if c.minor else "", undone if c.undone_at else valid,
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
