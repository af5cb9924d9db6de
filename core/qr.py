"""QR codes as PNG (qrcode + Pillow), error correction M with the standard four-module quiet zone."""
import io

import qrcode
from flask import send_file
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage


def _code(data, box_size):
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def _send(buffer, mimetype):
    buffer.seek(0)
    response = send_file(buffer, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def qr_png_response(data, box_size=10):
    """A PNG of ``data`` as a Flask response, like indico's QR route: BytesIO and send_file."""
    buffer = io.BytesIO()
    _code(data, box_size).make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return _send(buffer, "image/png")


def qr_svg_response(data):
    """An SVG of ``data``: sharp at any size, for posters and screens."""
    buffer = io.BytesIO()
    _code(data, 10).make_image(image_factory=SvgPathImage).save(buffer)
    return _send(buffer, "image/svg+xml")


def qr_svg_markup(data):
    """The SVG element itself, to place inside a page (the venue screen swaps it in place)."""
    buffer = io.BytesIO()
    _code(data, 10).make_image(image_factory=SvgPathImage).save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg"):]
