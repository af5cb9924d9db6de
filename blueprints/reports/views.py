"""The organization's side: open the report of an ended event, save it section by section, photos, submit."""
from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from blueprints.reports import bp, operations, queries
from blueprints.reports.forms import SECTIONS
from blueprints.reports.policy import STATUS_LABELS
from core.access import can_watch_street, membership_of
from core.errors import ValidationError
from core.htmx import wants_fragment
from core.policy import can, require, visible_or_404
from core.uploads import send_stored
from models import Event, Report, ReportPhoto


def event_or_404(event_id):
    """The event, for its organization's members and those who watch its street; 404 for everyone else."""
    event = Event.get_or_none(Event.id == event_id)
    if event is None or (membership_of(current_user, event.organization) is None
                         and not can_watch_street(current_user, event.street)):
        abort(404)
    return event


def report_of(event):
    report = Report.get_or_none(Report.event == event)
    if report is None:
        abort(404)
    return report


def page(report, errors=None, values=None, status=200, section=None, saved=False):
    context = dict(report=report, event=report.event, errors=errors or {}, values=values or {},
                   counts=queries.attendance(report.event), volunteers=queries.volunteer_hours(report.event),
                   photos=queries.photos(report), editable=can(current_user, "edit", report),
                   min_photos=operations.MIN_PHOTOS, max_photos=operations.MAX_PHOTOS,
                   status_labels=STATUS_LABELS, saved=saved)
    if section and wants_fragment():
        return render_template("reports/_section.html", section=section, **context), status
    return render_template("reports/edit.html", **context), status


@bp.get("/events/<int:event_id>/report")
@login_required
def edit(event_id):
    """The report: opened as a draft by an org admin once the event has ended; read by the others who may see it."""
    event = event_or_404(event_id)
    report = Report.get_or_none(Report.event == event)
    if report is None:
        report = operations.open_report(event, current_user)
    elif not can(current_user, "view", report):
        abort(404)
    return page(report)


@bp.post("/events/<int:event_id>/report/save")
@login_required
def save(event_id):
    """Save one section (in place with htmx; without it, back to the page)."""
    report = report_of(event_or_404(event_id))
    require(current_user, "edit", report)
    section = request.form.get("section", "")
    if section not in SECTIONS:
        return redirect(url_for("reports.edit", event_id=event_id), code=303)  # nothing to save
    form = SECTIONS[section]()
    # Saved as it is written: a pause in typing posts the section and only a status line comes back, so the
    # field being typed in is never replaced.
    autosave = wants_fragment() and request.headers.get("HX-Target") == f"{section}-autosave"
    try:
        if not form.validate():
            raise ValidationError({field.name: field.errors[0] for field in form if field.errors})
        operations.save(report, current_user, form.changes())
    except ValidationError as error:
        if autosave:
            return render_template("reports/_autosave.html", error=next(iter(error.errors.values()), "")), 422
        return page(report, error.errors, form.values(), 422, section)
    if autosave:
        return render_template("reports/_autosave.html", saved_at=report.updated_at)
    if wants_fragment():
        return page(report, section=section, saved=True)
    return redirect(url_for("reports.edit", event_id=event_id) + f"#{section}", code=303)


@bp.post("/events/<int:event_id>/report/photos")
@login_required
def upload(event_id):
    """One photo per request; a refused photo comes back with its reason and the rest of the report untouched."""
    report = report_of(event_or_404(event_id))
    try:
        photo = operations.add_photo(report, current_user, request.files.get("photo"))
    except ValidationError as error:
        message = next(iter(error.errors.values()), "") if error.errors else str(error)
        if wants_fragment() or request.accept_mimetypes.best == "application/json":
            return {"error": message}, 422
        return page(report, {"photo": message}, status=422)
    if wants_fragment() or request.accept_mimetypes.best == "application/json":
        return {"id": photo.id, "url": url_for("reports.photo", photo_id=photo.id)}
    return redirect(url_for("reports.edit", event_id=event_id) + "#photos", code=303)


@bp.get("/reports/photos/<int:photo_id>")
@login_required
def photo(photo_id):
    """The photo, only to those who may see its report."""
    item = ReportPhoto.get_or_none(ReportPhoto.id == photo_id)
    if item is None:
        abort(404)
    visible_or_404(Report, item.report_id, current_user)
    item.kind = "jpeg"
    return send_stored(item, as_attachment=False)


@bp.post("/reports/photos/<int:photo_id>/delete")
@login_required
def delete_photo(photo_id):
    item = ReportPhoto.get_or_none(ReportPhoto.id == photo_id)
    if item is None:
        abort(404)
    report = visible_or_404(Report, item.report_id, current_user)
    operations.delete_photo(item, current_user)
    return redirect(url_for("reports.edit", event_id=report.event_id) + "#photos", code=303)


@bp.post("/events/<int:event_id>/report/submit")
@login_required
def submit(event_id):
    report = report_of(event_or_404(event_id))
    try:
        operations.submit(report, current_user)
    except ValidationError as error:
        return page(report, error.errors, status=422)
    return redirect(url_for("reports.edit", event_id=event_id), code=303)

