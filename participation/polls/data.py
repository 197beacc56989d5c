"""What the dashboard counts and what the GDPR export tells a resident."""

from django.db.models import F, QuerySet

from .models import Answer


def polls_contributions() -> QuerySet:
    """One row per answer."""
    return Answer.objects.order_by().values(
        "created_at", component_id=F("poll__component_id"), author_id=F("user_id")
    )


def polls_personal_data(user) -> list[dict]:
    answers = (
        Answer.objects.filter(user=user)
        .select_related("poll")
        .prefetch_related("answer_choices__choice")
        .order_by("created_at", "pk")
    )
    return [
        {
            "component_id": answer.poll.component_id,
            "poll_id": answer.poll_id,
            "question": answer.poll.question,
            "choices": [item.choice.label for item in answer.answer_choices.all()],
            "answered_at": answer.created_at.isoformat(),
        }
        for answer in answers
    ]
