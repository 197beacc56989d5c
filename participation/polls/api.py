"""The polls' API: the same selectors, rules and services as the HTML pages."""

from __future__ import annotations

from dataclasses import asdict

from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from participation.api import ComponentAPIMixin

from . import selectors, services
from .models import Poll


class AnswerSerializer(serializers.Serializer):
    choices = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=True, max_length=100
    )


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


class PollListView(PollsComponentView):
    def get(self, request, space_slug: str, component_id: int):
        polls = selectors.polls_for_page(self.component, request.user)
        return Response({"results": [poll_payload(poll, request.user) for poll in polls]})


class PollAnswerView(PollsComponentView):
    def post(self, request, space_slug: str, component_id: int, poll_id: int):
        poll = selectors.poll_in(self.component, poll_id)
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.poll_answer(
            user=request.user, poll=poll, choice_ids=serializer.validated_data["choices"]
        )
        poll = selectors.poll_for_page(self.component, request.user, poll_id)
        return Response(poll_payload(poll, request.user), status=201)
