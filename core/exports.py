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
from typing import Any

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
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, title: str = "Export") -> bytes:
    """One sheet: the first row bold and frozen, every cell made safe (no formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
