"""The comments of an item, read through the API as the item's page shows them (a hidden
comment keeps its place in the thread without its text), and a resident's comment or reply
written through the same service and permission as the page's form."""

from __future__ import annotations

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import RulesPermission, related
from participation.submissions import clean_key, submit_once

from . import selectors, services
from .models import Comment
from .views import item_or_404


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    depth = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    is_official = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    created_at = serializers.DateTimeField()

    def get_author(self, comment: Comment) -> str | None:
        return comment.author.display_name if comment.author else None

    def get_body(self, comment: Comment) -> str:
        return "" if comment.is_hidden else comment.body


class CommentInSerializer(serializers.Serializer):
    body = serializers.CharField()
    parent = serializers.IntegerField(
        required=False, allow_null=True, help_text="The comment answered, on the same item."
    )


class CommentListView(ListEndpoint, APIView):
    """An item's comments (``comments_url`` of the item), oldest first, replies after their
    parent's ``id``; 404 when the item's space is not visible to the caller. POST: a comment,
    or a reply (``parent``), as the page's form writes it; an ``Idempotency-Key`` header makes
    a retried request write it once."""

    permission_classes = [RulesPermission]
    permission_required = "participation.view_space"
    serializer_class = CommentSerializer
    ordering_fields = {"created_at": "created_at"}

    @cached_property
    def item(self):
        return item_or_404(self.request, self.kwargs["content_type_id"], self.kwargs["object_id"])

    def get_permission_object(self):
        return self.item

    def get(self, request, content_type_id: int, object_id: int):
        comments = selectors.item_comments(self.item).select_related("author")
        return self.page_response(self.ordered(comments.order_by("created_at", "pk")))

    @extend_schema(request=CommentInSerializer, responses={201: CommentSerializer})
    def post(self, request, content_type_id: int, object_id: int):
        serializer = CommentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        parent = related(
            selectors.item_comments(self.item),
            data.get("parent"),
            _("Ce commentaire n'existe pas sur ce contenu."),
        )
        comment, _first = submit_once(
            user=request.user,
            key=clean_key(request.headers.get("Idempotency-Key")),
            create=lambda: services.comment_add(
                author=request.user, item=self.item, body=data["body"], parent=parent
            ),
        )
        return Response(CommentSerializer(comment).data, status=201)
