from participation.models import Component

from .selectors import documents, documents_total_size


def documents_statistics(component: Component) -> dict:
    return {"documents": documents(component).count(), "bytes": documents_total_size(component)}
