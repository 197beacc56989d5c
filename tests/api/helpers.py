"""Real values for the API's path parameters in a seeded town, so that the schema-driven tests
reach its objects instead of 404s."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from participation.budgets.models import Budget
from participation.models import Component, Space
from participation.news.models import NewsPost
from participation.polls.models import Poll
from participation.questions.models import Question
from participation.surveys.models import Survey
from participation.volunteering.models import Association

COMPONENT_PATH = re.compile(r"/api/v1/espaces/\{space_slug\}/(\w+)/\{component_id\}/")


@dataclass
class TownValues:
    ids: dict[str, object]
    # type key -> (space slug, component id)
    components: dict[str, tuple[str, int]]
    # texts only this town has (titles of its spaces and components)
    texts: list[str] = field(default_factory=list)

    def path_parameters(self, path: str) -> dict[str, object] | None:
        """The values of ``path``'s parameters; None for a module the town has no
        component of."""
        values = dict(self.ids)
        match = COMPONENT_PATH.match(path)
        if match:
            if match.group(1) not in self.components:
                return None
            values["space_slug"], values["component_id"] = self.components[match.group(1)]
        elif path.startswith("/api/v1/espaces/{slug}"):
            values["slug"] = next(iter(self.components.values()))[0]
        names = re.findall(r"\{(\w+)\}", path)
        return {name: values[name] for name in names}

    def filled(self, path: str) -> str | None:
        parameters = self.path_parameters(path)
        if parameters is None:
            return None
        return re.sub(r"\{(\w+)\}", lambda m: str(parameters[m.group(1)]), path)


def _first_pk(model) -> int:
    return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def town_values() -> TownValues:
    """Read in the current town's schema (inside ``tenant_context``)."""
    post = NewsPost.objects.order_by("pk").first()
    association = Association.objects.order_by("pk").first()
    ids = {
        "content_type_id": ContentType.objects.get_for_model(NewsPost).pk,
        "object_id": post.pk if post else 1,
        "slug": association.slug if association else "association",
        "budget_id": _first_pk(Budget),
        "poll_id": _first_pk(Poll),
        "question_id": _first_pk(Question),
        "survey_id": _first_pk(Survey),
    }
    components = {
        c.type_key: (c.space.slug, c.pk)
        for c in Component.objects.select_related("space").order_by("-pk")
    }
    texts = [s.title for s in Space.objects.all()] + [c.title for c in Component.objects.all()]
    return TownValues(ids=ids, components=components, texts=texts)
