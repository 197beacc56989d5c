"""The polls' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin

from . import selectors, services
from .models import Poll


class PollAnswerSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, max_length=100
    )


class PollChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class ChoiceResultSerializer(PollChoiceSerializer):
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class PollResultsSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    choices = ChoiceResultSerializer(many=True)


class PollSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    kind = serializers.CharField()
    max_choices = serializers.IntegerField(allow_null=True)
    results_visibility = serializers.CharField()
    choices = PollChoiceSerializer(many=True)
    answered = serializers.BooleanField()
    my_choices = serializers.ListField(child=serializers.IntegerField())
    can_answer = serializers.BooleanField()
    results = PollResultsSerializer(allow_null=True)


def poll_payload(poll: Poll, user) -> dict:
    results = selectors.results(poll) if user.has_perm("polls.view_results_poll", poll) else None
    answered = bool(poll.my_choice_ids)
    return {
        "id": poll.pk,
        "question": poll.question,
        "kind": poll.kind,
        "max_choices": poll.max_choices,
        "results_visibility": poll.results_visibility,
        "choices": [{"id": choice.pk, "label": choice.label} for choice in poll.choices.all()],
        "answered": answered,
        "my_choices": sorted(poll.my_choice_ids),
        "can_answer": not answered and user.has_perm("polls.answer_poll", poll),
        "results": asdict(results) if results is not None else None,
    }


class PollsComponentView(ComponentAPIMixin, APIView):
    type_key = "polls"


class PollListView(ListEndpoint, PollsComponentView):
    serializer_class = PollSerializer

    def get(self, request, space_slug: str, component_id: int):
        polls = selectors.polls_for_page(self.component, request.user)
        return self.page_response(polls, shape=lambda poll: poll_payload(poll, request.user))


class PollAnswerView(PollsComponentView):
    @extend_schema(request=PollAnswerSerializer, responses={201: PollSerializer})
    def post(self, request, space_slug: str, component_id: int, poll_id: int):
        poll = selectors.poll_in(self.component, poll_id)
        serializer = PollAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.poll_answer(
            user=request.user, poll=poll, choice_ids=serializer.validated_data["choices"]
        )
        poll = selectors.poll_for_page(self.component, request.user, poll_id)
        return Response(PollSerializer(poll_payload(poll, request.user)).data, status=201)
