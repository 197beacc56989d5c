from rest_framework import serializers
from rest_framework.views import APIView

from core.listing import ListEndpoint
from participation.api import ComponentAPIMixin
from participation.components import component_url

from .models import Document
from .selectors import documents


class DocumentSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(read_only=True)
    human_size = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "description",
            "content_type",
            "type_label",
            "size",
            "human_size",
            "url",
            "download_url",
            "created_at",
        ]

    def get_url(self, document: Document) -> str:
        return self.context["request"].build_absolute_uri(document.file.url)

    def get_download_url(self, document: Document) -> str:
        url = component_url(self.context["component"], "download", document.pk)
        return self.context["request"].build_absolute_uri(url)


class DocumentList(ListEndpoint, ComponentAPIMixin, APIView):
    """The component's documents with their URLs; 404 when the space is not visible."""

    serializer_class = DocumentSerializer
    type_key = "documents"
    permission_required = "documents.view_document"
    ordering_fields = {"title": "title", "created_at": "created_at"}

    def get(self, request, space_slug: str, component_id: int):
        return self.page_response(
            self.ordered(documents(self.component)), context={"component": self.component}
        )
