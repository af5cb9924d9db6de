"""The street office's side: publish or return submitted events, in place, one by one or several at once."""
from flask import flash, redirect, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from blueprints.events import bp, operations
from blueprints.events.moderation import queue_item
from core.access import street_event_or_404, street_or_404
from core.errors import LifecycleError
from core.forms import ReasonForm
from core.moderation import decide
from core.validators import parse_id
from models import Event


@bp.post("/streets/<slug>/events/<int:event_id>/publish")
@login_required
def publish(slug, event_id):
    """Publish a submitted event, in place."""
    street = street_or_404(slug)
    event = street_event_or_404(street, event_id)
    return decide(lambda e: queue_item(e, street), event, lambda: operations.publish(event, current_user))


@bp.post("/streets/<slug>/events/<int:event_id>/return")
@login_required
def return_(slug, event_id):
    """Return a submitted event to its organization with a reason, in place."""
    street = street_or_404(slug)
    event = street_event_or_404(street, event_id)
    form = ReasonForm()
    return decide(
        lambda e: queue_item(e, street),
        event,
        lambda: operations.return_event(event, current_user, form.reason.data),
        form,
    )


@bp.post("/streets/<slug>/events/publish")
@login_required
def publish_many(slug):
    """Publish the ticked events of the queue at once."""
    street = street_or_404(slug)
    ids = [i for i in map(parse_id, request.form.getlist("item")) if i is not None]
    published = 0
    for event in Event.select().where(Event.street == street, Event.id.in_(ids)):
        try:
            operations.publish(event, current_user)
            published += 1
        except LifecycleError:
            continue  # already handled by someone else: leave it as it is
    flash(ngettext("已发布 %(num)s 个活动", "已发布 %(num)s 个活动", published), "success" if published else "info")
    return redirect(url_for("streets.console", slug=slug) + "#event-queue", code=303)
