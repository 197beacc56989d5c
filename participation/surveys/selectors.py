"""Read-only queries of the surveys: structure, whether one has answered, results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Max, Min, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from participation.models import Component

from .models import SCALE_MAX, SCALE_MIN, AnswerValue, Option, Question, Response, Section, Survey

Kind = Question.Kind


def surveys(component: Component) -> QuerySet[Survey]:
    return Survey.objects.filter(component=component).annotate(
        response_count=Count("responses", distinct=True),
        question_count=Count("sections__questions", distinct=True),
    )


def survey_of_component(component: Component, survey_id: int) -> Survey:
    survey = get_object_or_404(Survey.objects.filter(component=component), pk=survey_id)
    survey.component = component  # keeps the phases the component was loaded with
    return survey


def sections_with_questions(survey: Survey) -> list[Section]:
    """The survey's sections in order, each with its questions, options and conditions."""
    questions = Question.objects.select_related(
        "condition_question", "condition_option"
    ).prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position", "pk")))
    return list(
        survey.sections.order_by("position", "pk").prefetch_related(
            Prefetch("questions", queryset=questions.order_by("position", "pk"))
        )
    )


def survey_questions(survey: Survey) -> list[Question]:
    """Every question of the survey in the order it is asked."""
    return [
        question
        for section in sections_with_questions(survey)
        for question in section.questions.all()
    ]


def has_answered(user, survey: Survey) -> bool:
    return user.is_authenticated and Response.objects.filter(survey=survey, user=user).exists()


def answered_survey_ids(user, surveys: list[Survey]) -> set[int]:
    """Which of these surveys the user has answered (none for an anonymous visitor)."""
    if not user.is_authenticated:
        return set()
    return set(
        Response.objects.filter(survey__in=surveys, user=user).values_list("survey_id", flat=True)
    )


def response_count(survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()


def responses_with_values(survey: Survey) -> QuerySet[Response]:
    return Response.objects.filter(survey=survey).prefetch_related("values")


# Results


@dataclass
class OptionResult:
    option: Option
    count: int = 0
    percent: float = 0.0
    average_rank: float | None = None


@dataclass
class MatrixRow:
    row: Option
    cells: list[OptionResult] = field(default_factory=list)
    answered: int = 0


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[OptionResult] = field(default_factory=list)
    matrix: list[MatrixRow] = field(default_factory=list)
    columns: list[Option] = field(default_factory=list)
    average: Decimal | None = None
    minimum: Any = None
    maximum: Any = None
    texts: list[str] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0.0


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def survey_results(survey: Survey) -> list[QuestionResult]:
    """One result per question, aggregated in SQL: counts and percentages of each choice
    (percent of the people who answered the question), average rank, counts per matrix cell,
    average / min / max of numbers and scales, texts and dates as answered."""
    questions = survey_questions(survey)
    results = {question.pk: QuestionResult(question=question) for question in questions}
    ids = list(results)
    if not ids:
        return []
    values = AnswerValue.objects.filter(question_id__in=ids)
    for row in values.values("question_id").annotate(n=Count("id")).order_by():
        results[row["question_id"]].answered = row["n"]

    by_kind: dict[str, list[int]] = defaultdict(list)
    for question in questions:
        by_kind[question.kind].append(question.pk)
    answer_table = _table(AnswerValue)

    # Single and multiple choice: how many answers hold each option.
    choice_ids = by_kind[Kind.SINGLE_CHOICE] + by_kind[Kind.MULTIPLE_CHOICE]
    counts: dict[tuple[int, int], int] = {}
    if choice_ids:
        for question_id, option_id, count in _rows(
            f"SELECT av.question_id, e.value::bigint, COUNT(*) FROM {answer_table} av "  # noqa: S608
            "CROSS JOIN LATERAL jsonb_array_elements_text(av.choices) AS e(value) "
            "WHERE av.question_id = ANY(%s) AND jsonb_typeof(av.choices) = 'array' "
            "GROUP BY 1, 2",
            [choice_ids],
        ):
            counts[question_id, option_id] = count

    # Ranking: how often each option is ranked and its average rank (1 = first).
    ranks: dict[tuple[int, int], tuple[int, float]] = {}
    if by_kind[Kind.RANKING]:
        for question_id, option_id, count, average in _rows(
            f"SELECT av.question_id, e.value::bigint, COUNT(*), AVG(e.rank) FROM {answer_table} av "  # noqa: S608
            "CROSS JOIN LATERAL jsonb_array_elements_text(av.choices) WITH ORDINALITY "
            "AS e(value, rank) "
            "WHERE av.question_id = ANY(%s) AND jsonb_typeof(av.choices) = 'array' "
            "GROUP BY 1, 2",
            [by_kind[Kind.RANKING]],
        ):
            ranks[question_id, option_id] = (count, float(average))

    # Matrix: how many answers put each row in each column.
    cells: dict[tuple[int, int, int], int] = {}
    if by_kind[Kind.MATRIX]:
        for question_id, row_id, column_id, count in _rows(
            f"SELECT av.question_id, e.key::bigint, e.value::bigint, COUNT(*) "  # noqa: S608
            f"FROM {answer_table} av "
            "CROSS JOIN LATERAL jsonb_each_text(av.choices) AS e(key, value) "
            "WHERE av.question_id = ANY(%s) AND jsonb_typeof(av.choices) = 'object' "
            "GROUP BY 1, 2, 3",
            [by_kind[Kind.MATRIX]],
        ):
            cells[question_id, row_id, column_id] = count

    numeric_ids = by_kind[Kind.SCALE] + by_kind[Kind.NUMBER]
    if numeric_ids:
        for row in (
            values.filter(question_id__in=numeric_ids, number__isnull=False)
            .values("question_id")
            .annotate(average=Avg("number"), minimum=Min("number"), maximum=Max("number"))
            .order_by()
        ):
            result = results[row["question_id"]]
            result.average = round(row["average"], 2) if row["average"] is not None else None
            result.minimum, result.maximum = row["minimum"], row["maximum"]
        # The scale's distribution: how many chose 1, 2, ... 5 (choices shown as options).
        for row in (
            values.filter(question_id__in=by_kind[Kind.SCALE])
            .values("question_id", "number")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts[row["question_id"], int(row["number"])] = row["n"]

    text_ids = by_kind[Kind.SHORT_TEXT] + by_kind[Kind.LONG_TEXT]
    if text_ids:
        for question_id, text in (
            values.filter(question_id__in=text_ids)
            .exclude(text="")
            .order_by("response__submitted_at", "pk")
            .values_list("question_id", "text")
        ):
            results[question_id].texts.append(text)

    if by_kind[Kind.DATE]:
        for row in (
            values.filter(question_id__in=by_kind[Kind.DATE], date__isnull=False)
            .values("question_id")
            .annotate(minimum=Min("date"), maximum=Max("date"))
            .order_by()
        ):
            result = results[row["question_id"]]
            result.minimum, result.maximum = row["minimum"], row["maximum"]
        for question_id, date in (
            values.filter(question_id__in=by_kind[Kind.DATE], date__isnull=False)
            .order_by("date")
            .values_list("question_id", "date")
        ):
            results[question_id].dates.append(date)

    for question in questions:
        result = results[question.pk]
        options = list(question.options.all())
        choices = [option for option in options if option.role == Option.Role.CHOICE]
        if question.kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
            result.options = [
                OptionResult(
                    option=option,
                    count=counts.get((question.pk, option.pk), 0),
                    percent=_percent(counts.get((question.pk, option.pk), 0), result.answered),
                )
                for option in choices
            ]
        elif question.kind == Kind.RANKING:
            ranked = []
            for option in choices:
                count, average = ranks.get((question.pk, option.pk), (0, None))
                ranked.append(
                    OptionResult(
                        option=option,
                        count=count,
                        percent=_percent(count, result.answered),
                        average_rank=round(average, 2) if average is not None else None,
                    )
                )
            # Best first: lowest average rank, options never ranked last.
            result.options = sorted(
                ranked, key=lambda item: (item.average_rank is None, item.average_rank or 0)
            )
        elif question.kind == Kind.SCALE:
            result.options = [
                OptionResult(
                    option=Option(label=str(value), position=value),
                    count=counts.get((question.pk, value), 0),
                    percent=_percent(counts.get((question.pk, value), 0), result.answered),
                )
                for value in range(SCALE_MIN, SCALE_MAX + 1)
            ]
        elif question.kind == Kind.MATRIX:
            columns = [option for option in options if option.role == Option.Role.COLUMN]
            result.columns = columns
            for row in (option for option in options if option.role == Option.Role.ROW):
                row_counts = [cells.get((question.pk, row.pk, column.pk), 0) for column in columns]
                total = sum(row_counts)
                result.matrix.append(
                    MatrixRow(
                        row=row,
                        answered=total,
                        cells=[
                            OptionResult(option=column, count=count, percent=_percent(count, total))
                            for column, count in zip(columns, row_counts, strict=True)
                        ],
                    )
                )
    return [results[question.pk] for question in questions]
