import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils.functional import lazy

from core.exports import csv_bytes, csv_cell, safe_cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_never_starts_a_formula(start):
    assert safe_cell(f'{start}HYPERLINK("http://x")') == f'\'{start}HYPERLINK("http://x")'


def test_control_characters_are_dropped_but_line_breaks_kept():
    assert safe_cell("a\x00b\x1bc\nd") == "abc\nd"
    assert safe_cell("\x00=1+1") == "'=1+1"  # a hidden character does not shield a formula


def test_numbers_and_dates_keep_their_type_for_a_workbook():
    assert safe_cell(-3) == -3
    assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 1)
    lazy_translation = lazy(str, str)("=titre")
    assert safe_cell(lazy_translation) == "'=titre"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (Decimal("12.50"), "12,50"),
        (Decimal("-3.5"), "-3,5"),  # a number, not a formula
        (Decimal("1E+1"), "10"),
        (42, "42"),
        (datetime.date(2026, 3, 1), "2026-03-01"),
        (datetime.datetime(2026, 3, 1, 9, 30), "2026-03-01 09:30:00"),
        ("-1 banc", "'-1 banc"),
    ],
)
def test_csv_cells(value, expected):
    assert csv_cell(value) == expected


def test_csv_file_opens_in_a_french_spreadsheet():
    content = csv_bytes([["titre", "coût"], ["=SOMME(A1)", Decimal("2.5")], [], ["b;c", 3]])
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text == 'titre;coût\r\n\'=SOMME(A1);2,5\r\n\r\n"b;c";3\r\n'
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["titre", "coût"], ["'=SOMME(A1)", "2,5"], [], ["b;c", "3"]]


def test_no_rows_is_an_empty_file_with_its_byte_order_mark():
    assert csv_bytes([]) == b"\xef\xbb\xbf"
