"""The surveys' API: a survey's structure, and answering it with the same service as the
HTML form (per-question errors in a 400 answer)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ErrorSerializer, error_payload
from core.errors import Invalid
from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin

from . import selectors, services
from .models import Option, Question, Survey
from .rules import answer_phase_state


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "label"]


class ConditionSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    option = serializers.IntegerField()


class QuestionSerializer(serializers.Serializer):
    """A question; ``options``, ``max_choices``, ``rows``, ``columns``, ``min`` and ``max``
    are given for the kinds that have them."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    label = serializers.CharField()
    help_text = serializers.CharField()
    required = serializers.BooleanField()
    condition = ConditionSerializer(allow_null=True)
    options = OptionSerializer(many=True, required=False)
    max_choices = serializers.IntegerField(required=False, allow_null=True)
    rows = OptionSerializer(many=True, required=False)
    columns = OptionSerializer(many=True, required=False)
    min = serializers.CharField(required=False, allow_null=True)
    max = serializers.CharField(required=False, allow_null=True)


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    questions = QuestionSerializer(many=True)


class SurveySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    responses = serializers.IntegerField(source="response_count")


class SurveyDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    intro = serializers.CharField()
    answering = serializers.ChoiceField(choices=["open", "closed", "not_yet"])
    has_answered = serializers.BooleanField()
    sections = SectionSerializer(many=True)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="The answer to each question, by its id."
    )


class SubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()


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


class SurveyListView(ListEndpoint, SurveysComponentView):
    serializer_class = SurveySummarySerializer

    def get(self, request, space_slug, component_id):
        return self.page_response(selectors.surveys(self.component))


class SurveyDetailView(SurveysComponentView):
    @extend_schema(responses=SurveyDetailSerializer)
    def get(self, request, space_slug, component_id, survey_id):
        survey = self.get_survey(survey_id)
        return Response(
            SurveyDetailSerializer(
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
            ).data
        )


class SurveyAnswerView(SurveysComponentView):
    """POST {"answers": {"<question id>": value}}: 201, or 400 with ``errors`` per question."""

    @extend_schema(
        request=AnswersSerializer, responses={201: SubmittedSerializer, 400: ErrorSerializer}
    )
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
        return Response(SubmittedSerializer(response).data, status=201)
