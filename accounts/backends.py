from django.contrib.auth.backends import ModelBackend


class EmailPasswordBackend(ModelBackend):
    """Signs in by e-mail and password (case-insensitive e-mail).

    Permissions come from django-rules predicates only: accounts have no permission tables.
    """

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()
