"""Spreadsheets to download: CSV that Excel reads (UTF-8 with BOM) and Excel workbooks (openpyxl)."""
import csv
import io

from flask import make_response, send_file
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(rows, filename):
    """``rows`` (the first one the header) as a CSV download."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = make_response("\ufeff" + buffer.getvalue())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(rows, filename, sheet_title):
    """``rows`` (the first one the header) as an Excel workbook download; numbers stay numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append([value if isinstance(value, int | float) else str(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
