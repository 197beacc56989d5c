"""What the dashboard counts and what the GDPR export tells a resident."""

from django.db.models import QuerySet

from .models import Question


def questions_contributions() -> QuerySet:
    """One row per question asked."""
    return Question.objects.order_by().values("component_id", "author_id", "created_at")


def questions_personal_data(user) -> list[dict]:
    return [
        {
            "component_id": question.component_id,
            "question_id": question.pk,
            "title": question.title,
            "body": question.body,
            "address": question.address,
            "latitude": str(question.latitude) if question.latitude is not None else None,
            "longitude": str(question.longitude) if question.longitude is not None else None,
            "status": question.status,
            "answer": question.answer,
            "asked_at": question.created_at.isoformat(),
        }
        for question in Question.objects.filter(author=user).order_by("created_at", "pk")
    ]
