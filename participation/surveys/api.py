"""The surveys' API: a survey's structure, and answering it with the same service as the
HTML form (per-question errors in a 400 answer)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_payload
from core.errors import Invalid
from participation.api import ComponentAPIMixin

from . import selectors, services
from .models import Option, Survey
from .rules import answer_phase_state


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "label"]


def _question_data(question) -> dict:
    options = list(question.options.all())
    data = {
        "id": question.pk,
        "kind": question.kind,
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "condition": (
            {"question": question.condition_question_id, "option": question.condition_option_id}
            if question.has_condition
            else None
        ),
    }
    if question.kind in ("single_choice", "multiple_choice", "ranking"):
        data["options"] = OptionSerializer(
            [o for o in options if o.role == Option.Role.CHOICE], many=True
        ).data
    if question.kind in ("multiple_choice", "ranking"):
        data["max_choices"] = question.max_choices
    if question.kind == "matrix":
        data["rows"] = OptionSerializer(
            [o for o in options if o.role == Option.Role.ROW], many=True
        ).data
        data["columns"] = OptionSerializer(
            [o for o in options if o.role == Option.Role.COLUMN], many=True
        ).data
    if question.kind == "number":
        data["min"] = str(question.min_value) if question.min_value is not None else None
        data["max"] = str(question.max_value) if question.max_value is not None else None
    return data


class SurveysComponentView(ComponentAPIMixin, APIView):
    type_key = "surveys"

    def get_survey(self, survey_id: int) -> Survey:
        survey = get_object_or_404(Survey.objects.filter(component=self.component), pk=survey_id)
        survey.component = self.component
        return survey


class SurveyListView(SurveysComponentView):
    def get(self, request, space_slug, component_id):
        return Response(
            [
                {"id": s.pk, "title": s.title, "intro": s.intro, "responses": s.response_count}
                for s in selectors.surveys(self.component)
            ]
        )


class SurveyDetailView(SurveysComponentView):
    def get(self, request, space_slug, component_id, survey_id):
        survey = self.get_survey(survey_id)
        return Response(
            {
                "id": survey.pk,
                "title": survey.title,
                "intro": survey.intro,
                "answering": answer_phase_state(self.component),
                "has_answered": selectors.has_answered(request.user, survey),
                "sections": [
                    {
                        "id": section.pk,
                        "title": section.title,
                        "questions": [_question_data(q) for q in section.questions.all()],
                    }
                    for section in selectors.sections_with_questions(survey)
                ],
            }
        )


class SurveyAnswerView(SurveysComponentView):
    """POST {"answers": {"<question id>": value}}: 201, or 400 with ``errors`` per question."""

    def post(self, request, space_slug, component_id, survey_id):
        survey = self.get_survey(survey_id)
        answers = request.data.get("answers") if hasattr(request.data, "get") else None
        if not isinstance(answers, dict):
            raise Invalid(
                _("Envoyez vos réponses dans « answers » : {identifiant: réponse}."),
                field="answers",
            )
        try:
            response = services.survey_submit(user=request.user, survey=survey, answers=answers)
        except services.SurveyInvalid as exc:
            # The usual error shape, with what is wrong with each answer.
            errors = {str(k): v for k, v in exc.errors.items()}
            return Response({**error_payload(exc), "errors": errors}, status=exc.status_code)
        return Response(
            {"id": response.pk, "submitted_at": response.submitted_at.isoformat()}, status=201
        )
