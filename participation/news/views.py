from django.shortcuts import get_object_or_404, render

from participation.components import component_view

from .selectors import news_posts, news_posts_for_list


@component_view("news")
def post_list(request, component):
    return render(
        request,
        "news/list.html",
        {"component": component, "posts": news_posts_for_list(component)},
    )


@component_view("news")
def post_detail(request, component, post_id: int):
    post = get_object_or_404(news_posts(component), pk=post_id)
    return render(request, "news/detail.html", {"component": component, "post": post})
