"""The event's check-in code: PNG and SVG, a printable A4 poster, and the rotating venue screen."""
from flask import current_app, render_template
from flask_login import login_required

from blueprints.checkins import bp
from blueprints.checkins.codes import screen_stamp
from blueprints.checkins.operations import counted
from core.access import event_or_404
from core.htmx import render_part
from core.qr import qr_png_response, qr_svg_markup, qr_svg_response
from core.urls import absolute_url


def checkin_url(event):
    """BASE_URL/c/<token>; a rotating event's code also carries a freshly signed time stamp."""
    if event.checkin_mode == "rotating":
        return absolute_url("checkins.scan", token=event.checkin_token, t=screen_stamp(event))
    return absolute_url("checkins.scan", token=event.checkin_token)


@bp.get("/events/<int:event_id>/qr.png")
@login_required
def qr_png(event_id):
    """The check-in code as a PNG, large enough for a poster."""
    return qr_png_response(checkin_url(event_or_404(event_id, manage=True)), box_size=16)


@bp.get("/events/<int:event_id>/qr.svg")
@login_required
def qr_svg(event_id):
    """The check-in code as an SVG."""
    return qr_svg_response(checkin_url(event_or_404(event_id, manage=True)))


@bp.get("/events/<int:event_id>/poster")
@login_required
def poster(event_id):
    """A printable A4 poster: title, time, place, a large code and 微信扫一扫 签到."""
    event = event_or_404(event_id, manage=True)
    return render_template("checkins/poster.html", event=event)


@bp.get("/events/<int:event_id>/screen")
@login_required
def screen(event_id):
    """Full screen for the venue: the code refreshes itself, so a forwarded screenshot soon stops working."""
    event = event_or_404(event_id, manage=True)
    return render_part(
        "checkins/screen.html", "checkins/_screen_code.html",
        event=event, svg=qr_svg_markup(checkin_url(event)),
        refresh=current_app.config["SCREEN_REFRESH_SECONDS"], attendance=counted(event).count(),
    )
