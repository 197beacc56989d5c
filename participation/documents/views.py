from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from participation.components import component_view

from .selectors import documents


@component_view("documents")
def document_list(request, component):
    return render(
        request,
        "documents/list.html",
        {"component": component, "documents": documents(component)},
    )


@component_view("documents")
def document_download(request, component, document_id: int):
    """The file as an attachment, under its title, with the type checked at upload."""
    document = get_object_or_404(documents(component), pk=document_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = document.file.name.rsplit(".", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{document.title}.{extension}",
        content_type=document.content_type,
    )
