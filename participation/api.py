"""What the modules' API views share with the HTML views: the same permission strings."""

from rest_framework.permissions import BasePermission


class RulesPermission(BasePermission):
    """Checks ``view.permission_required`` (a django-rules permission string) against the
    object the view names with ``get_permission_object()`` (the component by default)."""

    def has_permission(self, request, view) -> bool:
        perm = getattr(view, "permission_required", None)
        if perm is None:
            return True
        obj = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        return request.user.has_perm(perm, obj)
