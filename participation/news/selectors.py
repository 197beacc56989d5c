from django.db.models import QuerySet

from participation.comments.selectors import counts_for_items, counts_key
from participation.models import Component

from .models import NewsPost


def news_posts(component: Component) -> QuerySet[NewsPost]:
    return NewsPost.objects.filter(component=component)


def news_posts_for_list(component: Component) -> list[NewsPost]:
    """The component's posts, newest first, each with ``.counts`` (its visible comments and
    its supports): three queries whatever the number of posts."""
    posts = list(news_posts(component))
    counts = counts_for_items(posts)
    for post in posts:
        post.counts = counts[counts_key(post)]
    return posts
