"""The street's signals (by kind and by organization, each marked as looked at in place) and the district's counts."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.signals import bp, operations, queries
from blueprints.signals.forms import CloseForm
from core.access import role_required, street_or_404, watched_streets
from core.errors import LifecycleError, ValidationError
from core.exports import FORMATS, table_response
from core.forms import apply_errors
from core.htmx import page_arg, wants_fragment
from core.moderation import message
from core.timeutil import local_now, to_local
from models import SIGNAL_KINDS, SIGNAL_STATUSES, AuditLog, Signal, Street

PER_PAGE = 50


def filters():
    """The kind (any if not one of ours) and the status (open unless one of ours) asked for."""
    kind = request.args.get("kind", "")
    status = request.args.get("status", "open")
    return (kind if kind in SIGNAL_KINDS else ""), (status if status in SIGNAL_STATUSES else "open")


def street_signal_or_404(street, signal_id):
    signal = Signal.get_or_none(Signal.id == signal_id, Signal.street == street)
    if signal is None:
        abort(404)
    return signal


def render_street(street, forms=None, status_code=200):
    kind, status = filters()
    page = page_arg()
    signals = queries.street_signals(street, kind, status)
    shown = list(signals.paginate(page, PER_PAGE))
    for signal in shown:
        signal.street = street  # all of this street's: the policy asks without loading it again
    return render_template(
        "signals/street.html", street=street, kind=kind, status=status, page=page, per_page=PER_PAGE,
        signals=shown, total=signals.count(),
        counts=queries.counts_by_kind(street, status), forms=forms or {}, blank=CloseForm(formdata=None),
    ), status_code


@bp.get("/streets/<slug>/signals")
@login_required
def street(slug):
    """风险提示: the street's signals by kind (counts) and by organization, with their reasons and data."""
    return render_street(street_or_404(slug))


def export(signals, filename, fmt):
    """``signals`` (with their organizations, streets and closers) as a spreadsheet, one row each."""
    def rows():
        yield [_("类型"), _("组织"), _("街镇"), _("原因"), _("提示时间"), _("状态"), _("查看人"), _("查看时间"),
               _("备注")]
        for signal in signals.iterator():
            closer = signal.closed_by if signal.closed_by_id else None
            yield [str(queries.KIND_LABELS.get(signal.kind, signal.kind)), signal.organization.name,
                   signal.street.name, signal.reason, spreadsheet_time(signal.raised_at),
                   str(queries.STATUS_LABELS.get(signal.status, signal.status)), closer.name if closer else "",
                   spreadsheet_time(signal.closed_at), signal.note]

    return table_response(rows(), f"{filename}-{local_now().date().isoformat()}", fmt, sheet_title=_("风险提示"))


def spreadsheet_time(utc):
    return to_local(utc).strftime("%Y-%m-%d %H:%M") if utc else ""


@bp.get("/streets/<slug>/signals.<fmt>")
@login_required
def street_export(slug, fmt):
    """The street's signals with the page's kind and status (open unless asked), as CSV or Excel."""
    if fmt not in FORMATS:
        abort(404)
    street = street_or_404(slug)
    kind, status = filters()
    AuditLog.record(current_user, "console.export", street, detail=f"signals.{fmt} {request.query_string.decode()}",
                    street=street)
    return export(queries.street_signals(street, kind, status), f"signals-{street.slug}", fmt)


@bp.post("/streets/<slug>/signals/<int:signal_id>/close")
@login_required
def close(slug, signal_id):
    """已查看, with a note: in place with htmx; without, back to the list."""
    street = street_or_404(slug)
    signal = street_signal_or_404(street, signal_id)
    form = CloseForm()
    error, status_code = None, 200
    if not form.validate():
        status_code = 422
    else:
        try:
            operations.close(signal, current_user, form.note.data)
        except ValidationError as refused:
            apply_errors(form, refused)
            status_code = 422
        except LifecycleError as refused:
            error, signal = str(refused), Signal.get_by_id(signal.id)
    if wants_fragment():
        html = render_template("signals/_signal.html", signal=signal, street=street, form=form,
                               blank=CloseForm(formdata=None))
        return (html + message(error) if error else html), status_code
    if status_code == 422:
        return render_street(street, forms={signal.id: form}, status_code=422)
    flash(error or _("已标记为已查看：%(reason)s", reason=signal.reason), "error" if error else "success")
    return redirect(url_for("signals.street", slug=street.slug), code=303)


@bp.post("/streets/<slug>/signals/refresh")
@login_required
def refresh_street(slug):
    """立即重新计算 the street's signals."""
    street = street_or_404(slug)
    outcome = operations.refresh_for(street, current_user, street=street)
    flash(summary(outcome), "success")
    return redirect(url_for("signals.street", slug=street.slug), code=303)


def summary(outcome):
    return _("已重新计算：新增 %(opened)s 条，重新提示 %(reopened)s 条，消除 %(cleared)s 条",
             opened=outcome.opened, reopened=outcome.reopened, cleared=outcome.cleared)


@bp.get("/admin/signals")
@role_required("district_admin")
def district():
    """The district's open signals, kind × street, each count linking to the street's list."""
    streets = list(watched_streets(current_user).order_by(Street.code))
    counts = queries.district_counts([s.id for s in streets])
    rows = [(street, [(kind, counts.get((street.id, kind), 0)) for kind in SIGNAL_KINDS]) for street in streets]
    rows = [(street, numbers, sum(n for _k, n in numbers)) for street, numbers in rows]
    totals = [(kind, sum(counts.get((street.id, kind), 0) for street in streets)) for kind in SIGNAL_KINDS]
    return render_template("signals/district.html", rows=rows, totals=totals,
                           grand_total=sum(n for _k, n in totals))


@bp.get("/admin/signals.<fmt>")
@role_required("district_admin")
def district_export(fmt):
    """Every open signal of the district's streets, street by street, as CSV or Excel."""
    if fmt not in FORMATS or current_user.district_id is None:
        abort(404)
    kind, _status = filters()
    AuditLog.record(current_user, "console.export", current_user.district,
                    detail=f"signals.{fmt} {request.query_string.decode()}")
    streets = watched_streets(current_user).select(Street.id)
    return export(queries.district_signals(streets, kind), "signals", fmt)


@bp.post("/admin/signals/refresh")
@role_required("district_admin")
def refresh_district():
    """立即重新计算 every street of the district."""
    if current_user.district_id is None:
        abort(404)
    district = current_user.district
    outcome = operations.refresh_for(district, current_user, district=district)
    flash(summary(outcome), "success")
    return redirect(url_for("signals.district"), code=303)
