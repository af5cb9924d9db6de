"""The street office's side of 资源对接: publish a need or offer of its street, or return it with a reason, in
place."""
from flask import abort
from flask_login import current_user, login_required

from blueprints.partners import bp, operations
from blueprints.partners.moderation import queue_item
from core.access import street_or_404
from core.forms import ReasonForm
from core.moderation import decide
from models import Need


def street_need_or_404(street, need_id):
    """A need or offer whose street is ``street`` (already scoped by street_or_404)."""
    need = Need.get_or_none(Need.id == need_id, Need.street == street)
    if need is None:
        abort(404)
    return need


@bp.post("/streets/<slug>/needs/<int:need_id>/publish")
@login_required
def publish(slug, need_id):
    """发布 on the month's board, in place."""
    street = street_or_404(slug)
    need = street_need_or_404(street, need_id)
    return decide(lambda n: queue_item(n, street), need, lambda: operations.publish(need, current_user))


@bp.post("/streets/<slug>/needs/<int:need_id>/return")
@login_required
def return_(slug, need_id):
    """退回 with the reason the organization reads, in place."""
    street = street_or_404(slug)
    need = street_need_or_404(street, need_id)
    form = ReasonForm()
    return decide(lambda n: queue_item(n, street), need,
                  lambda: operations.return_(need, current_user, form.reason.data), form)
