from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    """Comments, supports and moderation on any module's items. Not a component type: it
    hangs off the items of every module, so it registers data sources instead."""

    name = "participation.comments"
    label = "comments"
    verbose_name = _("Commentaires et soutiens")

    def ready(self) -> None:
        from participation.registry import DataSource, register_data_source

        from . import data

        register_data_source(
            DataSource(
                "comments",
                contributions=data.comment_contributions,
                personal_data=data.comment_personal_data,
            )
        )
        register_data_source(
            DataSource(
                "supports",
                contributions=data.support_contributions,
                personal_data=data.support_personal_data,
            )
        )
