"""The event's volunteer code: a QR on the manage page's panel and on a printable sheet, and the page it opens, where
a member of the organization signs in or out with one tap."""
from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.shifts import bp
from blueprints.shifts.codes import event_of_code, volunteer_code
from blueprints.shifts.policy import administer
from core.access import event_or_404, membership_of
from core.errors import render_error
from core.qr import qr_png_response
from core.urls import absolute_url


def code_url(event):
    """BASE_URL/v/<signed>: what the volunteer code encodes."""
    return absolute_url("shifts.by_code", signed=volunteer_code(event))


@bp.get("/events/<int:event_id>/shifts/code.png")
@login_required
def code_png(event_id):
    """The volunteer code as a PNG, for the organization's admins (who print it or show it at the venue)."""
    event = event_or_404(event_id, manage=True)
    administer(current_user, event)
    return qr_png_response(code_url(event), box_size=12)


@bp.get("/events/<int:event_id>/shifts/code")
@login_required
def code_sheet(event_id):
    """A printable A4 sheet: the event, the volunteer code, 志愿者扫码 签到上岗 / 签退."""
    event = event_or_404(event_id, manage=True)
    administer(current_user, event)
    return render_template("shifts/code.html", event=event)


@bp.get("/v/<signed>")
@login_required
def by_code(signed):
    """A scanned volunteer code: the event and one big button for its organization's members; a clear no for the
    rest (a resident who scanned the wrong code learns where to check in)."""
    event = event_of_code(signed)
    if event is None:
        abort(404)
    if membership_of(current_user, event.organization) is None:
        return render_error(403, _(
            "这是“%(org)s”志愿者的签到上岗码，只有该组织的成员可以使用。居民参加活动请扫活动签到码。",
            org=event.organization.name,
        ))
    return render_template("shifts/volunteer.html", event=event, signed=signed)
