from django.db.models import Count

from participation.models import Component

from .models import Answer, Poll


def polls_statistics(component: Component) -> dict:
    return {
        "polls": Poll.objects.filter(component=component).count(),
        "answers": Answer.objects.filter(poll__component=component).count(),
        "participants": Answer.objects.filter(
            poll__component=component, user__isnull=False
        ).aggregate(n=Count("user", distinct=True))["n"],
    }
