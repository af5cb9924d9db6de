"""Spreadsheets to download: CSV that Excel reads (UTF-8 with BOM) and Excel workbooks (openpyxl).

Every value goes through ``cell()``: what a resident typed is shown as text, never run as a formula (OWASP, "CSV
Injection"), and a stray control character can neither break the workbook nor hide in the file.
"""
import csv
import io

from flask import make_response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.validators import BREAKS_RE, HIDDEN_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula (tab and CR too, but
#: cell() has turned those into spaces and trimmed them by then).
FORMULA_PREFIXES = ("=", "+", "-", "@")


def cell(value):
    """``value`` as a spreadsheet cell: numbers as they are, anything else as plain, inert text."""
    if isinstance(value, int | float):
        return value
    text = HIDDEN_RE.sub("", BREAKS_RE.sub(" ", "" if value is None else str(value))).strip()
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text  # the quote makes the spreadsheet read the rest as text
    return text


def csv_response(rows, filename):
    """``rows`` (the first one the header) as a CSV download."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([cell(value) for value in row] for row in rows)
    response = make_response("\ufeff" + buffer.getvalue())
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(rows, filename, sheet_title):
    """``rows`` (the first one the header) as an Excel workbook download; numbers stay numbers."""
    return xlsx_sheets_response([(sheet_title, rows)], filename)


def xlsx_sheets_response(sheets, filename):
    """A workbook of several sheets, ``sheets`` a list of (title, rows), each sheet's first row its header."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell(value) for value in row])
            for written in sheet[sheet.max_row]:
                if isinstance(written.value, str):
                    written.data_type = "s"  # text, whatever openpyxl would guess from its first character
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


#: The formats table_response answers, by the extension of the address (``/admin/audit.csv``).
FORMATS = ("csv", "xlsx")


def table_response(rows, filename, fmt, sheet_title="Sheet1"):
    """``rows`` (an iterable, the first one the header) as a CSV (``fmt`` "csv") or Excel ("xlsx") download named
    ``filename`` plus the extension. Excel is written in openpyxl's write-only mode, row by row, so a long list
    does not sit in memory as a workbook of cell objects."""
    if fmt == "csv":
        return csv_response(rows, f"{filename}.csv")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    for row in rows:
        cells = []
        for value in row:
            written = WriteOnlyCell(sheet, cell(value))
            if isinstance(written.value, str):
                written.data_type = "s"  # text, whatever openpyxl would guess from its first character
            cells.append(written)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX, as_attachment=True, download_name=f"{filename}.xlsx", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
