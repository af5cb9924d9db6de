"""QR codes as PNG (qrcode + Pillow), error correction M with the standard four-module quiet zone."""
import io

import qrcode
from flask import send_file
from qrcode.constants import ERROR_CORRECT_M


def qr_png_response(data, box_size=10):
    """A PNG of ``data`` as a Flask response, like indico's QR route: BytesIO and send_file."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    buffer.seek(0)
    response = send_file(buffer, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
