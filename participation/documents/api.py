from rest_framework import serializers
from rest_framework.generics import ListAPIView

from participation.api import RulesPermission
from participation.components import component_url
from participation.selectors import component_for_page

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


class DocumentList(ListAPIView):
    """The component's documents with their URLs; 404 when the space is not visible."""

    serializer_class = DocumentSerializer
    permission_classes = [RulesPermission]
    permission_required = "documents.view_document"

    def get_component(self):
        if not hasattr(self, "_component"):
            self._component = component_for_page(
                space_slug=self.kwargs["space_slug"],
                component_id=self.kwargs["component_id"],
                type_key="documents",
                user=self.request.user,
            )
        return self._component

    def get_permission_object(self):
        return self.get_component()

    def get_queryset(self):
        return documents(self.get_component())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "component": self.get_component()}
