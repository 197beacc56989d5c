from django.db.models import QuerySet

from participation.models import Component

from .models import NewsPost


def news_posts(component: Component) -> QuerySet[NewsPost]:
    return NewsPost.objects.filter(component=component)
