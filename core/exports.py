"""Spreadsheets to download: CSV that Excel reads (UTF-8 with BOM) and Excel workbooks (openpyxl).

Every value goes through ``cell()``: what a resident typed is shown as text, never run as a formula (OWASP, "CSV
Injection"), and a stray control character can neither break the workbook nor hide in the file.

Both are written as the rows come (bench/pages.py): CSV is streamed to the client a few hundred rows at a time, and
Excel is written in openpyxl's write-only mode into a temporary file (in memory while small), so an export of
thousands of rows needs neither the whole list nor a workbook of cell objects in memory.
"""
import csv
import io
import tempfile
import unicodedata
from urllib.parse import quote

from flask import Response, stream_with_context
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


#: Rows of a CSV download sent in one piece while streaming.
CSV_CHUNK_ROWS = 500
#: The size up to which an Excel file is built in memory; a larger one goes to a temporary file.
XLSX_SPOOL_BYTES = 1024 * 1024


def csv_chunks(rows):
    """``rows`` as CSV text, the BOM first, then a chunk every CSV_CHUNK_ROWS rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for n, row in enumerate(rows, 1):
        writer.writerow([cell(value) for value in row])
        if n % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(rows, filename):
    """``rows`` (the first one the header) as a CSV download, streamed as the rows are read."""
    response = Response(stream_with_context(csv_chunks(rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(rows, filename, sheet_title):
    """``rows`` (the first one the header) as an Excel workbook download; numbers stay numbers."""
    return xlsx_sheets_response([(sheet_title, rows)], filename)


def xlsx_sheets_response(sheets, filename):
    """A workbook of several sheets, ``sheets`` a list of (title, rows), each sheet's first row its header.

    Written in openpyxl's write-only mode, row by row, so a long list does not sit in memory as cell objects."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                written = WriteOnlyCell(sheet, cell(value))
                if isinstance(written.value, str):
                    written.data_type = "s"  # text, whatever openpyxl would guess from its first character
                cells.append(written)
            sheet.append(cells)
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)
    try:
        book.save(output)
        size = output.tell()
        output.seek(0)
    except BaseException:
        output.close()
        raise
    response = Response(file_chunks(output), mimetype=XLSX)
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def disposition(filename):
    """An attachment named ``filename``; a name beyond ASCII as RFC 6266 wants it (what send_file does)."""
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def file_chunks(output, size=64 * 1024):
    """The file's content in pieces, the file closed at the end (or when the client went away)."""
    with output:
        while chunk := output.read(size):
            yield chunk


#: The formats table_response answers, by the extension of the address (``/admin/audit.csv``).
FORMATS = ("csv", "xlsx")


def table_response(rows, filename, fmt, sheet_title="Sheet1"):
    """``rows`` (an iterable, the first one the header) as a CSV (``fmt`` "csv") or Excel ("xlsx") download named
    ``filename`` plus the extension. Excel is written in openpyxl's write-only mode, row by row, so a long list
    does not sit in memory as a workbook of cell objects."""
    if fmt == "csv":
        return csv_response(rows, f"{filename}.csv")
    return xlsx_response(rows, f"{filename}.xlsx", sheet_title)
