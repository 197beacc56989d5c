"""The go-live checklist of a town, shown to the vendor staff (console) and to the town
(back office): what is still to do before the site opens to residents."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import tenant_context

from onboarding.training.selectors import trained_staff_count, training_done
from participation.models import Space
from tenants.models import Tenant
from theming.models import LegalPage
from theming.selectors import legal_page_is_published, theme_is_set


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str = ""
    # The page of the town's back office that does it (a path on the town's site), if any.
    link: str = ""


class GoLiveChecklist(list[ChecklistItem]):
    """The items in order, and how far the town is (for templates)."""

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self)

    @property
    def complete(self) -> bool:
        return self.done_count == len(self)


def _town_path(name: str, *args) -> str:
    try:
        return reverse(name, args=args, urlconf=settings.ROOT_URLCONF)
    except NoReverseMatch:  # that back-office page is not installed
        return ""


def _legal_page_item(key: str, kind: str, label: str) -> ChecklistItem:
    return ChecklistItem(
        key=key,
        label=label,
        done=legal_page_is_published(kind),
        link=_town_path("site_admin:legal_page", LegalPage.SLUGS[kind]),
    )


def golive_checklist(town: Tenant) -> GoLiveChecklist:
    with tenant_context(town):
        items = GoLiveChecklist(
            [
                ChecklistItem(
                    key="theme",
                    label=_("Thème du site défini (logo et couleurs)"),
                    done=theme_is_set(),
                    link=_town_path("site_admin:theme"),
                ),
                _legal_page_item(
                    "legal_notice", LegalPage.Kind.LEGAL_NOTICE, _("Mentions légales publiées")
                ),
                _legal_page_item(
                    "accessibility",
                    LegalPage.Kind.ACCESSIBILITY,
                    _("Déclaration d'accessibilité publiée"),
                ),
                ChecklistItem(
                    key="first_space",
                    label=_("Premier espace de participation publié"),
                    done=Space.objects.filter(status=Space.Status.PUBLISHED).exists(),
                    link=_town_path("backoffice:spaces"),
                ),
            ]
        )
    trained = trained_staff_count(town)
    items.append(
        ChecklistItem(
            key="training",
            label=_("Formation des équipes réalisée"),
            done=training_done(town),
            detail=ngettext("%(count)d personne formée", "%(count)d personnes formées", trained)
            % {"count": trained},
        )
    )
    return items
