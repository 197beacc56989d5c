from django.db.models import QuerySet, Sum

from participation.models import Component

from .models import Document


def documents(component: Component) -> QuerySet[Document]:
    return Document.objects.filter(component=component)


def documents_total_size(component: Component) -> int:
    return documents(component).aggregate(total=Sum("size"))["total"] or 0
