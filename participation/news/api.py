"""The news posts of a component, as their list page shows them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework import serializers
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin

from .models import NewsPost
from .selectors import news_posts_for_list


class NewsPostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    published_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()
    comments = serializers.IntegerField(source="counts.comments")
    supports = serializers.IntegerField(source="counts.supports")
    comments_url = serializers.SerializerMethodField()

    def get_url(self, post: NewsPost) -> str:
        return self.context["request"].build_absolute_uri(post.get_absolute_url())

    def get_comments_url(self, post: NewsPost) -> str:
        content_type = ContentType.objects.get_for_model(NewsPost)
        path = reverse("api:comments", args=[content_type.pk, post.pk])
        return self.context["request"].build_absolute_uri(path)


class NewsPostListView(ListEndpoint, ComponentAPIMixin, APIView):
    """The component's posts, newest first, with their comment and support counts."""

    type_key = "news"
    serializer_class = NewsPostSerializer

    def get(self, request, space_slug: str, component_id: int):
        posts = news_posts_for_list(self.component)
        for post in posts:
            post.component = self.component
        return self.page_response(posts)
