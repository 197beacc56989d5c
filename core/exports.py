"""Exports people open in a spreadsheet: what residents and staff typed never runs as a
formula, and a CSV opens as is in French spreadsheets (";" between cells, decimal commas,
UTF-8 with a byte order mark)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone
from django.utils.functional import Promise

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet runs a cell starting with one of these as a formula: prefix it with a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters a spreadsheet (or openpyxl) chokes on; tab, line feed and CR stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """Text without control characters and that never starts a formula; other values as
    they are (numbers and dates keep their type in a workbook)."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_cell(value: Any) -> str:
    """One CSV cell: text made safe, nothing for None, decimals with a comma (as French
    spreadsheets read them), dates and times in ISO form."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(safe_cell(value))


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """The rows (a header first) as a CSV file; an empty row leaves a blank line."""
    buffer = io.StringIO()
    _csv_rows_write(buffer, rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_file_write(path: Path, rows: Iterable[Iterable[Any]]) -> int:
    """The rows (a header first) written to ``path`` as ``csv_bytes`` would make them, a row
    at a time (a table of any size in little memory). How many rows, header included."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        return _csv_rows_write(file, rows)


def _csv_rows_write(stream: TextIO, rows: Iterable[Iterable[Any]]) -> int:
    """French spreadsheets' CSV: ``;`` between cells (the comma is the decimal mark), UTF-8
    with a BOM (so that Excel reads the accents); each cell made safe (csv_cell)."""
    writer = csv.writer(stream, delimiter=";")
    count = 0
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    return count


def _xlsx_cell(value: Any) -> Any:
    """A workbook has no time zones: an aware date-time is written as the town's local time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return safe_cell(value)


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, title: str = "Export") -> bytes:
    """One sheet: the first row bold and frozen, every cell made safe (no formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
