from django.shortcuts import get_object_or_404, render
from django.utils.translation import ngettext

from participation.components import component_url, component_view

from .selectors import news_posts, news_posts_for_list


@component_view("news")
def post_list(request, component):
    posts = news_posts_for_list(component)
    # The list is the page with the most items: what the template would do for each post
    # (reverse a URL, pluralise two counts) is done here once, in plain Python. A post's URL
    # is the list's URL followed by "<id>/" (urls.py).
    list_url = component_url(component)
    # Same messages as the comments' templates' {% blocktranslate count counter=... %}.
    for post in posts:
        post.url = f"{list_url}{post.pk}/"
        comments, supports = post.counts.comments, post.counts.supports
        post.comments_label = comments and ngettext(
            "%(counter)s commentaire", "%(counter)s commentaires", comments
        ) % {"counter": comments}
        post.supports_label = supports and ngettext(
            "%(counter)s soutien", "%(counter)s soutiens", supports
        ) % {"counter": supports}
    return render(request, "news/list.html", {"component": component, "posts": posts})


@component_view("news")
def post_detail(request, component, post_id: int):
    post = get_object_or_404(news_posts(component), pk=post_id)
    return render(request, "news/detail.html", {"component": component, "post": post})
