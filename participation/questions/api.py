"""The questions' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin, PlaceAndImageFields, related
from participation.models import Official
from participation.submissions import clean_key, submit_once

from . import selectors, services
from .models import Question


class QuestionSerializer(PlaceAndImageFields):
    """Shape only: the service validates and its messages name the problem."""

    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)
    addressed_to = serializers.IntegerField(required=False, allow_null=True)
    theme = serializers.IntegerField(required=False, allow_null=True)


class QuestionAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, trim_whitespace=False)


class QuestionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    status = serializers.ChoiceField(choices=Question.Status.choices)
    status_label = serializers.CharField()
    addressed_to = serializers.CharField(allow_null=True)
    theme = serializers.CharField(allow_null=True)
    address = serializers.CharField()
    latitude = serializers.CharField(allow_null=True)
    longitude = serializers.CharField(allow_null=True)
    answer = serializers.CharField()
    answered_as = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    decline_note = serializers.CharField()
    created_at = serializers.DateTimeField()


class AnswerRecordSerializer(serializers.Serializer):
    target_days = serializers.IntegerField()
    asked = serializers.IntegerField()
    answered = serializers.IntegerField()
    declined = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    in_time_percent = serializers.IntegerField(allow_null=True)


class RecordSerializer(serializers.Serializer):
    record = AnswerRecordSerializer(help_text="The town's record of answers, all questions.")


class QuestionFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=Question.Status.choices, required=False)


def question_payload(question: Question) -> dict:
    hidden = question.decline_reason == Question.DeclineReason.INSULTING
    return {
        "id": question.pk,
        "url": question.get_absolute_url(),
        "title": "" if hidden else question.title,
        "body": "" if hidden else question.body,
        "status": question.status,
        "status_label": str(question.get_status_display()),
        "addressed_to": question.addressed_to.name if question.addressed_to else None,
        "theme": question.theme.name if question.theme else None,
        "address": "" if hidden else question.address,
        "latitude": None if question.latitude is None else str(question.latitude),
        "longitude": None if question.longitude is None else str(question.longitude),
        "answer": question.answer,
        "answered_as": question.answered_as,
        "answered_at": question.answered_at.isoformat() if question.answered_at else None,
        "decline_reason": question.decline_reason,
        "decline_note": question.decline_note,
        "created_at": question.created_at.isoformat(),
    }


class QuestionsComponentView(ComponentAPIMixin, APIView):
    type_key = "questions"


class QuestionListView(ListEndpoint, QuestionsComponentView):
    serializer_class = QuestionOutSerializer
    filters_class = QuestionFilters
    list_extra = RecordSerializer
    ordering_fields = {"created_at": "created_at", "answered_at": "answered_at"}

    def get(self, request, space_slug: str, component_id: int):
        component = self.component
        questions = selectors.questions(component)
        if status := self.filter_value("status"):
            questions = questions.filter(status=status)
        record = selectors.answer_record(component)
        return self.page_response(
            self.ordered(questions),
            extra={"record": {**asdict(record), "in_time_percent": record.in_time_percent}},
            shape=lambda question: question_payload(_bound(question, component)),
        )

    @extend_schema(request=QuestionSerializer, responses={201: QuestionOutSerializer})
    def post(self, request, space_slug: str, component_id: int):
        component = self.component
        serializer = QuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["addressed_to"] = related(
            selectors.askable_officials(),
            data.get("addressed_to"),
            _("Choisissez un élu de la liste."),
        )
        data["theme"] = related(
            selectors.themes(component), data.get("theme"), _("Choisissez un thème de la liste.")
        )
        # Idempotency-Key: a client retrying after a timeout gets the first one's question.
        question, _first = submit_once(
            user=request.user,
            key=clean_key(request.headers.get("Idempotency-Key")),
            create=lambda: services.question_ask(author=request.user, component=component, **data),
        )
        payload = question_payload(_bound(question, component))
        return Response(QuestionOutSerializer(payload).data, status=201)


class QuestionDetailView(QuestionsComponentView):
    @extend_schema(responses=QuestionOutSerializer)
    def get(self, request, space_slug: str, component_id: int, question_id: int):
        question = get_object_or_404(selectors.questions(self.component), pk=question_id)
        return Response(
            QuestionOutSerializer(question_payload(_bound(question, self.component))).data
        )


class RouteSerializer(serializers.Serializer):
    official = serializers.IntegerField(required=False, allow_null=True)
    service = serializers.IntegerField(required=False, allow_null=True)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    duplicate_of = serializers.IntegerField(required=False, allow_null=True)


class QuestionActionView(QuestionsComponentView):
    """One step of a question (route, answer, decline) through the same service as the back
    office, whose rules decide (403 with their reason)."""

    serializer_class: type[serializers.Serializer]

    def post(self, request, space_slug: str, component_id: int, question_id: int):
        question = get_object_or_404(selectors.questions(self.component), pk=question_id)
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = self.act(question, dict(serializer.validated_data))
        return Response(QuestionOutSerializer(question_payload(_bound(done, self.component))).data)


@extend_schema_view(
    post=extend_schema(request=QuestionAnswerSerializer, responses={200: QuestionOutSerializer})
)
class QuestionAnswerView(QuestionActionView):
    serializer_class = QuestionAnswerSerializer

    def act(self, question, data):
        return services.question_answer(actor=self.request.user, question=question, **data)


@extend_schema_view(
    post=extend_schema(request=RouteSerializer, responses={200: QuestionOutSerializer})
)
class QuestionRouteView(QuestionActionView):
    serializer_class = RouteSerializer

    def act(self, question, data):
        return services.question_route(
            actor=self.request.user,
            question=question,
            official=related(
                Official.objects.all(), data.get("official"), _("Choisissez un élu de la liste.")
            ),
            service=related(
                selectors.municipal_services(), data.get("service"), _("Ce service n'existe pas.")
            ),
        )


@extend_schema_view(
    post=extend_schema(request=DeclineSerializer, responses={200: QuestionOutSerializer})
)
class QuestionDeclineView(QuestionActionView):
    serializer_class = DeclineSerializer

    def act(self, question, data):
        data["duplicate_of"] = related(
            selectors.questions(self.component),
            data.get("duplicate_of"),
            _("Choisissez une autre question de cet espace."),
        )
        return services.question_decline(actor=self.request.user, question=question, **data)


def _bound(question: Question, component) -> Question:
    question.component = component
    return question
