from participation.models import Component

from .selectors import news_posts


def news_statistics(component: Component) -> dict:
    return {"posts": news_posts(component).count()}
