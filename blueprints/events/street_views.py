"""The street office's side: publish or return submitted events, in place, one by one or several at once."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from core.access import street_event_or_404, street_or_404
from core.errors import LifecycleError, ValidationError
from core.htmx import wants_fragment
from blueprints.events import bp, operations
from blueprints.events.forms import ReasonForm
from models import Event


@bp.post("/streets/<slug>/events/<int:event_id>/publish")
@login_required
def publish(slug, event_id):
    """Publish a submitted event."""
    street = street_or_404(slug)
    event = street_event_or_404(street, event_id)
    try:
        operations.publish(event, current_user)
    except LifecycleError as error:
        flash(str(error), "error")
    return queue_row(street, event)


@bp.post("/streets/<slug>/events/<int:event_id>/return")
@login_required
def return_(slug, event_id):
    """Return a submitted event to its organization with a reason."""
    street = street_or_404(slug)
    event = street_event_or_404(street, event_id)
    form = ReasonForm()
    try:
        operations.return_event(event, current_user, form.reason.data)
    except ValidationError as error:
        form.reason.errors = list(error.errors.values())
        return queue_row(street, event, form, status=422)
    except LifecycleError as error:
        flash(str(error), "error")
    return queue_row(street, event)


@bp.post("/streets/<slug>/events/publish")
@login_required
def publish_many(slug):
    """Publish the ticked events of the queue at once."""
    street = street_or_404(slug)
    ids = [int(i) for i in request.form.getlist("event") if i.isdigit()]
    published = 0
    for event in Event.select().where(Event.street == street, Event.id.in_(ids)):
        try:
            operations.publish(event, current_user)
            published += 1
        except LifecycleError:
            continue  # already handled by someone else: leave it as it is
    flash(ngettext("已发布 %(num)s 个活动", "已发布 %(num)s 个活动", published), "success" if published else "info")
    return redirect(url_for("streets.console", slug=slug) + "#event-queue", code=303)


def queue_row(street, event, form=None, status=200):
    if wants_fragment():
        return render_template("streets/_event_row.html", street=street, event=event, reason_form=form or ReasonForm()), status
    if form is not None and form.errors:
        flash(_("请写明退回的理由"), "error")
    return redirect(url_for("streets.console", slug=street.slug) + "#event-queue", code=303)
