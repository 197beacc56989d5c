from django.db.models import Count

from participation.models import Component

from .models import Response, Survey


def survey_statistics(component: Component) -> dict:
    responses = Response.objects.filter(survey__component=component)
    return {
        "surveys": Survey.objects.filter(component=component).count(),
        "responses": responses.count(),
        "respondents": responses.aggregate(n=Count("user", distinct=True))["n"],
    }


def contributions():
    """One row per response: the dashboard counts them per space, neighbourhood and week."""
    from django.db.models import F

    return Response.objects.values(
        component_id=F("survey__component_id"),
        author_id=F("user_id"),
        created_at=F("submitted_at"),
    ).order_by()


def personal_data(user) -> list[dict]:
    """The user's answers, question by question (GDPR export)."""
    from .exports import _cell

    data = []
    responses = (
        Response.objects.filter(user=user)
        .select_related("survey")
        .prefetch_related("values__question__options")
    )
    for response in responses:
        answers = []
        for value in sorted(response.values.all(), key=lambda v: v.question.order_key()):
            question = value.question
            labels = {option.pk: option.label for option in question.options.all()}
            if question.kind == question.Kind.MATRIX:
                rows = [o for o in question.options.all() if o.role == o.Role.ROW]
                answer = {row.label: _cell(question, row, value, labels) for row in rows}
            else:
                answer = _cell(question, None, value, labels)
            answers.append({"question": question.label, "answer": _json(answer)})
        data.append(
            {
                "survey": response.survey.title,
                "submitted_at": response.submitted_at.isoformat(),
                "answers": answers,
            }
        )
    return data


def _json(value):
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value
