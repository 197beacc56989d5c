from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Invalid
from core.text import clean_text
from participation.models import Component
from participation.services import ensure_perm

from .models import NewsPost


def news_post_publish(*, actor: User, component: Component, title: str, body: str) -> NewsPost:
    ensure_perm(actor, "news.add_newspost", component)
    if component.type_key != "news":
        raise Invalid(_("Ce composant n'est pas un fil d'actualités."))
    return NewsPost.objects.create(
        component=component,
        title=clean_text(title, label=_("Titre"), max_length=200),
        body=clean_text(body, label=_("Texte"), max_length=50_000),
        author=actor,
        published_at=timezone.now(),
    )


def news_post_delete(*, actor: User, post: NewsPost) -> None:
    ensure_perm(actor, "news.delete_newspost", post)
    post.delete()
