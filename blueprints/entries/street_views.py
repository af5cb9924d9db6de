"""The street office's side of the sign-ups: confirm, or return saying what to change, in place."""
from flask import abort
from flask_login import current_user, login_required

from blueprints.entries import bp, operations
from blueprints.entries.moderation import queue_item
from core.access import street_or_404
from core.forms import ReasonForm
from core.moderation import decide
from models import Campaign, MonthEntry, Organization


def street_entry_or_404(street, entry_id):
    """A sign-up for a published month from an organization of ``street`` (already scoped by street_or_404)."""
    entry = (
        MonthEntry.select().join(Organization).switch(MonthEntry).join(Campaign)
        .where(MonthEntry.id == entry_id, Organization.street == street, Campaign.published == True)  # noqa: E712
        .first()
    )
    if entry is None:
        abort(404)
    return entry


@bp.post("/streets/<slug>/entries/<int:entry_id>/confirm")
@login_required
def confirm(slug, entry_id):
    """确认报名, in place."""
    street = street_or_404(slug)
    entry = street_entry_or_404(street, entry_id)
    return decide(lambda e: queue_item(e, street), entry, lambda: operations.confirm(entry, current_user))


@bp.post("/streets/<slug>/entries/<int:entry_id>/return")
@login_required
def return_(slug, entry_id):
    """退回修改, with what to change (the organization reads it), in place."""
    street = street_or_404(slug)
    entry = street_entry_or_404(street, entry_id)
    form = ReasonForm()
    return decide(lambda e: queue_item(e, street), entry,
                  lambda: operations.return_(entry, current_user, form.reason.data), form)
