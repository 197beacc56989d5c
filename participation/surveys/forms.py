"""The survey form without JavaScript: reading answers from a POST and describing each
question's inputs (names, ids, what is ticked) for the template.

Input names: ``q<id>`` for one value (texts, single choice, scale, number, date) or several
(multiple choice); ``q<id>-<option id>`` holds an option's rank (ranking) or a row's column
(matrix)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import SCALE_MAX, SCALE_MIN, Option, Question, Section

Kind = Question.Kind


def answers_from_post(data: QueryDict, questions: list[Question]) -> dict[int, Any]:
    """The raw answers of the POST, shaped as ``survey_submit`` takes them."""
    answers: dict[int, Any] = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == Kind.MULTIPLE_CHOICE:
            answers[question.pk] = data.getlist(name)
        elif question.kind in (Kind.RANKING, Kind.MATRIX):
            role = Option.Role.CHOICE if question.kind == Kind.RANKING else Option.Role.ROW
            answers[question.pk] = {
                str(option.pk): data.get(f"{name}-{option.pk}", "")
                for option in question.options.all()
                if option.role == role
            }
        else:
            answers[question.pk] = data.get(name, "")
    return answers


@dataclass
class Choice:
    value: str
    label: str
    input_id: str
    checked: bool = False


@dataclass
class RankedOption:
    option: Option
    name: str
    input_id: str
    rank: str = ""


@dataclass
class MatrixLine:
    row: Option
    name: str
    cells: list[Choice] = field(default_factory=list)


@dataclass
class QuestionField:
    question: Question
    name: str
    error: str = ""
    value: str = ""
    max_length: int | None = None
    choices: list[Choice] = field(default_factory=list)
    ranked: list[RankedOption] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)
    columns: list[Option] = field(default_factory=list)
    lines: list[MatrixLine] = field(default_factory=list)
    condition_note: str = ""

    @property
    def input_id(self) -> str:
        return self.name

    @property
    def help_id(self) -> str:
        return f"{self.name}-help"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"

    @property
    def bounds(self) -> str:
        """The limits of a number question, in words."""
        from .services.answers import format_decimal

        low, high = self.question.min_value, self.question.max_value
        if self.question.kind != Kind.NUMBER or (low is None and high is None):
            return ""
        parts = []
        if low is not None:
            parts.append(_("Minimum : %(value)s.") % {"value": format_decimal(low)})
        if high is not None:
            parts.append(_("Maximum : %(value)s.") % {"value": format_decimal(high)})
        return " ".join(parts)

    @property
    def has_help(self) -> bool:
        return bool(self.question.help_text or self.condition_note or self.bounds)

    @property
    def describedby(self) -> str:
        ids = []
        if self.has_help:
            ids.append(self.help_id)
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_group(self) -> bool:
        """Several inputs: a fieldset with a legend rather than a label."""
        return self.question.kind in (
            Kind.SINGLE_CHOICE,
            Kind.MULTIPLE_CHOICE,
            Kind.RANKING,
            Kind.SCALE,
            Kind.MATRIX,
        )


@dataclass
class SectionFields:
    section: Section
    fields: list[QuestionField]


def _condition_note(question: Question) -> str:
    if not question.has_condition:
        return ""
    return _("(si vous avez répondu « %(answer)s » à la question « %(question)s »)") % {
        "answer": question.condition_option.label,
        "question": question.condition_question.label,
    }


def build_fields(
    sections: list[Section], data: QueryDict | None = None, errors: dict[int, str] | None = None
) -> list[SectionFields]:
    """What the template needs to draw each question, with the user's input kept."""
    from .models import LONG_TEXT_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH

    data = data if data is not None else QueryDict()
    errors = errors or {}
    result = []
    for section in sections:
        fields = []
        for question in section.questions.all():
            name = f"q{question.pk}"
            options = list(question.options.all())
            item = QuestionField(
                question=question,
                name=name,
                error=errors.get(question.pk, ""),
                value=data.get(name, ""),
                condition_note=_condition_note(question),
            )
            kind = question.kind
            if kind == Kind.SHORT_TEXT:
                item.max_length = SHORT_TEXT_MAX_LENGTH
            elif kind == Kind.LONG_TEXT:
                item.max_length = LONG_TEXT_MAX_LENGTH
            elif kind in (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE):
                ticked = set(data.getlist(name))
                item.choices = [
                    Choice(str(o.pk), o.label, f"{name}-{o.pk}", str(o.pk) in ticked)
                    for o in options
                    if o.role == Option.Role.CHOICE
                ]
            elif kind == Kind.SCALE:
                item.choices = [
                    Choice(str(value), str(value), f"{name}-{value}", data.get(name) == str(value))
                    for value in range(SCALE_MIN, SCALE_MAX + 1)
                ]
            elif kind == Kind.RANKING:
                choices = [o for o in options if o.role == Option.Role.CHOICE]
                item.ranked = [
                    RankedOption(
                        o, f"{name}-{o.pk}", f"{name}-{o.pk}", data.get(f"{name}-{o.pk}", "")
                    )
                    for o in choices
                ]
                item.ranks = list(range(1, (question.max_choices or len(choices)) + 1))
            elif kind == Kind.MATRIX:
                item.columns = [o for o in options if o.role == Option.Role.COLUMN]
                for row in (o for o in options if o.role == Option.Role.ROW):
                    row_name = f"{name}-{row.pk}"
                    item.lines.append(
                        MatrixLine(
                            row=row,
                            name=row_name,
                            cells=[
                                Choice(
                                    str(column.pk),
                                    column.label,
                                    f"{row_name}-{column.pk}",
                                    data.get(row_name) == str(column.pk),
                                )
                                for column in item.columns
                            ],
                        )
                    )
            fields.append(item)
        result.append(SectionFields(section=section, fields=fields))
    return result


# Back office


class SurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre"), max_length=200)
    intro = forms.CharField(
        label=gettext_lazy("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre de la partie"), max_length=200)


class QuestionSettingsForm(forms.Form):
    """A question's wording, settings and choices: what may change once it exists."""

    label = forms.CharField(label=gettext_lazy("Intitulé"), max_length=300)
    help_text = forms.CharField(label=gettext_lazy("Aide"), max_length=500, required=False)
    required = forms.BooleanField(label=gettext_lazy("Réponse obligatoire"), required=False)
    options = forms.CharField(
        label=gettext_lazy("Choix (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Choix unique, choix multiples et classement."),
    )
    max_choices = forms.IntegerField(
        label=gettext_lazy("Nombre de choix maximum"),
        required=False,
        min_value=1,
        help_text=gettext_lazy(
            "Choix multiples : nombre de cases au plus. Classement : nombre de choix à classer "
            "(vide : tous)."
        ),
    )
    rows = forms.CharField(
        label=gettext_lazy("Lignes du tableau (une par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    columns = forms.CharField(
        label=gettext_lazy("Colonnes du tableau (une par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    min_value = forms.DecimalField(
        label=gettext_lazy("Nombre : valeur minimale"), required=False, decimal_places=4
    )
    max_value = forms.DecimalField(
        label=gettext_lazy("Nombre : valeur maximale"), required=False, decimal_places=4
    )

    @classmethod
    def of(cls, question: Question, data=None) -> QuestionSettingsForm:
        """The form filled with the question as saved (its choices one per line)."""

        def lines(role: str) -> str:
            return "\n".join(o.label for o in question.options.all() if o.role == role)

        initial = {
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "options": lines(Option.Role.CHOICE),
            "rows": lines(Option.Role.ROW),
            "columns": lines(Option.Role.COLUMN),
            "max_choices": question.max_choices,
            "min_value": question.min_value,
            "max_value": question.max_value,
        }
        form = cls(data, initial=initial)
        for name in _fields_unused_by(question.kind):
            del form.fields[name]
        return form


def _fields_unused_by(kind: str) -> list[str]:
    unused = []
    if kind not in Question.CHOICE_KINDS:
        unused.append("options")
    if kind not in (Kind.MULTIPLE_CHOICE, Kind.RANKING):
        unused.append("max_choices")
    if kind != Kind.MATRIX:
        unused += ["rows", "columns"]
    if kind != Kind.NUMBER:
        unused += ["min_value", "max_value"]
    return unused


class QuestionForm(QuestionSettingsForm):
    section = forms.TypedChoiceField(label=gettext_lazy("Partie"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("Type de question"), choices=Kind.choices)
    condition = forms.ChoiceField(
        label=gettext_lazy("Afficher seulement si"),
        required=False,
        help_text=gettext_lazy("Une réponse à une question précédente à choix."),
    )

    field_order = ["section", "kind", "label"]

    def __init__(self, *args, sections: list[Section], questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]
        self.fields["condition"].choices = [("", _("Toujours afficher"))] + [
            (
                f"{q.pk}:{o.pk}",
                _("« %(question)s » = « %(answer)s »") % {"question": q.label, "answer": o.label},
            )
            for q in questions
            if q.kind in Question.CONDITION_KINDS
            for o in q.options.all()
        ]
