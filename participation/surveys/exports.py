"""CSV and XLSX exports: one row per response, one column per question (a matrix question has
one column per row), under a header row of the questions' labels. Who answered is not
exported: the answers are anonymous to the town's staff."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, safe_cell
from participation.models import Component

from .models import Option, Question, Survey
from .selectors import responses_with_values, survey_questions

Kind = Question.Kind


def _columns(questions: list[Question]) -> list[tuple[str, Question, Option | None]]:
    columns = []
    for question in questions:
        if question.kind == Kind.MATRIX:
            for row in question.options.all():
                if row.role == Option.Role.ROW:
                    columns.append((f"{question.label} — {row.label}", question, row))
        else:
            columns.append((question.label, question, None))
    return columns


def _cell(question: Question, row: Option | None, value, labels: dict[int, str]) -> Any:
    if value is None:
        return ""
    kind = question.kind
    if kind in Question.TEXT_KINDS:
        return value.text
    if kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
        return " ; ".join(labels.get(option_id, "?") for option_id in value.choices or [])
    if kind == Kind.RANKING:
        return " ; ".join(
            f"{rank}. {labels.get(option_id, '?')}"
            for rank, option_id in enumerate(value.choices or [], start=1)
        )
    if kind == Kind.SCALE:
        return int(value.number) if value.number is not None else ""
    if kind == Kind.NUMBER:
        return _plain(value.number) if value.number is not None else ""
    if kind == Kind.DATE:
        return value.date or ""
    if kind == Kind.MATRIX:
        column_id = (value.choices or {}).get(str(row.pk)) if row is not None else None
        return labels.get(column_id, "") if column_id is not None else ""
    return ""  # pragma: no cover


def _plain(value: Decimal) -> Decimal:
    """12.5000 -> 12.5 and 10.0000 -> 10 (not 1E+1)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def survey_table(survey: Survey) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of the survey's export (typed cells)."""
    questions = survey_questions(survey)
    columns = _columns(questions)
    labels = {option.pk: option.label for q in questions for option in q.options.all()}
    header = [_("Réponse n°"), _("Envoyée le"), *(label for label, _q, _r in columns)]
    rows = []
    for number, response in enumerate(responses_with_values(survey), start=1):
        values = {value.question_id: value for value in response.values.all()}
        rows.append(
            [
                number,
                timezone.localtime(response.submitted_at).replace(tzinfo=None, microsecond=0),
                *(_cell(q, row, values.get(q.pk), labels) for _label, q, row in columns),
            ]
        )
    return header, rows


def survey_csv(survey: Survey) -> bytes:
    """One header row, then one row per response."""
    header, rows = survey_table(survey)
    return csv_bytes([header, *rows])


def survey_xlsx(surveys: Iterable[Survey]) -> bytes:
    """One sheet per survey."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, survey in enumerate(surveys, start=1):
        name = re.sub(r"[\[\]:*?/\\]", " ", survey.title)[:28].strip() or str(index)
        if name.casefold() in used:
            name = f"{name[:24]} ({index})"
        used.add(name.casefold())
        sheet = workbook.create_sheet(title=name)
        header, rows = survey_table(survey)
        sheet.append([safe_cell(label) for label in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
            sheet.cell(row=sheet.max_row, column=2).number_format = "dd/mm/yyyy hh:mm"
        sheet.freeze_panes = "A2"
    if not workbook.worksheets:
        workbook.create_sheet(title=_("Questionnaires"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filename(base: str, extension: str) -> str:
    return f"{slugify(base) or 'questionnaire'}-{timezone.localdate():%Y-%m-%d}.{extension}"


def survey_export(survey: Survey, fmt: str) -> tuple[str, str, bytes]:
    if fmt == "csv":
        return _filename(survey.title, "csv"), CSV_CONTENT_TYPE, survey_csv(survey)
    return _filename(survey.title, "xlsx"), XLSX_CONTENT_TYPE, survey_xlsx([survey])


def component_csv(component: Component) -> tuple[str, str, bytes]:
    """Every survey of the component, one after the other, each under its own header and
    after a blank line."""
    rows: list[list[Any]] = []
    for survey in Survey.objects.filter(component=component):
        header, answers = survey_table(survey)
        rows.extend([*([[]] if rows else []), header, *answers])
    return _filename(component.title, "csv"), CSV_CONTENT_TYPE, csv_bytes(rows)


def component_xlsx(component: Component) -> tuple[str, str, bytes]:
    content = survey_xlsx(Survey.objects.filter(component=component))
    return _filename(component.title, "xlsx"), XLSX_CONTENT_TYPE, content
