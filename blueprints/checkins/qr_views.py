"""The event's check-in code: PNG and SVG, a printable A4 poster (also as an image), and the rotating venue screen."""
import io
import logging
import os

import qrcode
from flask import current_app, render_template, send_file
from flask_babel import gettext as _
from flask_login import login_required
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from blueprints.checkins import bp
from blueprints.checkins.codes import screen_stamp
from blueprints.checkins.operations import counted
from core.access import event_or_404
from core.htmx import render_part
from core.qr import qr_png_response, qr_svg_markup, qr_svg_response
from core.templating import event_when
from core.urls import absolute_url

log = logging.getLogger(__name__)

#: Fonts with Chinese glyphs, the first found is used; without any the poster still carries a code that scans.
CJK_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
#: A4 at 150 dots per inch: sharp enough to print, small enough to send in WeChat.
POSTER_SIZE = (1240, 1754)


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


def poster_font(size):
    """A CJK font at ``size`` pixels; Pillow's own font when the system has none (Chinese then shows as boxes)."""
    for path in CJK_FONTS:
        if os.path.exists(path):
            try:
                return ImageFont.truetype(path, size)
            except OSError:
                continue
    log.warning("no CJK font found for the poster image")
    return ImageFont.load_default(size)


def wrapped(draw, text, font, width, max_lines=3):
    """``text`` broken into lines no wider than ``width`` (character by character: Chinese has no spaces)."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = ""
        line += char
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][:-1] + "…"
    return lines


def poster_image(event, url):
    """The poster as a PNG: organization, title, time, place, the code, 微信扫一扫 签到 and a note."""
    width, height = POSTER_SIZE
    image = Image.new("RGB", POSTER_SIZE, "white")
    draw = ImageDraw.Draw(image)
    margin, y = 90, 80

    def line(text, size, fill="black", gap=16, max_lines=3):
        nonlocal y
        font = poster_font(size)
        for part in wrapped(draw, text, font, width - 2 * margin, max_lines):
            draw.text((width / 2, y), part, font=font, fill=fill, anchor="ma")
            y += size + gap

    line(event.organization.name, 40, fill="#444", max_lines=2)
    y += 10
    line(event.title, 76, gap=20)
    y += 10
    line(event_when(event), 42, max_lines=2)
    line(event.venue or "", 42, max_lines=2)
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    side = min(900, height - y - 320)  # as large as the text above and the call below leave room for
    # Nearest-neighbour keeps the modules square and sharp, so the code still scans from a photo of a print.
    qr = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    qr = qr.resize((side, side), Image.NEAREST)
    image.paste(qr, ((width - side) // 2, y + 20))
    y += side + 50
    line(_("微信扫一扫 签到"), 88, fill="#b3261e", gap=24)
    line(_("只需填写姓名和手机号。没有手机的居民请找现场志愿者登记。"), 36, fill="#444")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer


@bp.get("/events/<int:event_id>/poster.png")
@login_required
def poster_png(event_id):
    """The poster as one image: WeChat cannot print, but a long press saves an image to send or print elsewhere."""
    event = event_or_404(event_id, manage=True)
    response = send_file(
        poster_image(event, checkin_url(event)), mimetype="image/png", max_age=0,
        download_name=f"poster-{event.id}.png",
    )
    response.headers["Content-Disposition"] = f'inline; filename="poster-{event.id}.png"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


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
