"""A town filled with the demo's content (one space per kind, every module with its structure
and its residents' contributions), and the structure of a space read back independently of
``participation.blueprints``, to compare a copy with its source."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from participation.demo import demo_content_seed
from participation.models import Space
from tests.participation.factories import AdminFactory, ParticipantFactory


def seed_demo_town() -> tuple[User, list[User]]:
    """In the current town's schema: an admin, two residents, the demo spaces."""
    admin = AdminFactory(email="mairie@source.test", display_name="Mairie source")
    residents = [
        ParticipantFactory(email="camille@source.test", display_name="Camille Source"),
        ParticipantFactory(email="karim@source.test", display_name="Karim Source"),
    ]
    demo_content_seed(admin=admin, residents=residents)
    return admin, residents


def space_structure(space: Space) -> dict:
    """What a copy must reproduce: the space's words and picture, each component's type,
    texts, settings, phases as days from the first phase, and each module's structure read
    with the ORM (not through the blueprint hooks)."""
    from participation.budgets.models import Budget
    from participation.ideas.models import Category
    from participation.polls.models import Poll
    from participation.surveys.models import Question

    components = list(space.components.order_by("position"))
    starts = [p.starts_at for c in components for p in c.phases.all()]
    first = timezone.localdate(min(starts)) if starts else None

    def days(moment) -> int:
        return (timezone.localdate(moment) - first).days

    def module_structure(component) -> list:
        if component.type_key == "surveys":
            questions = Question.objects.filter(section__survey__component=component)
            return [
                (
                    q.section.survey.title,
                    q.section.title,
                    q.kind,
                    q.label,
                    q.required,
                    [(o.role, o.label) for o in q.options.all()],
                    (q.condition_question.label, q.condition_option.label)
                    if q.has_condition
                    else None,
                )
                for q in questions
            ]
        if component.type_key == "polls":
            return [
                (p.question, p.kind, p.max_choices, [c.label for c in p.choices.all()])
                for p in Poll.objects.filter(component=component)
            ]
        if component.type_key == "ideas":
            return list(Category.objects.filter(component=component).values_list("name"))
        if component.type_key == "budgets":
            return list(
                Budget.objects.filter(component=component).values_list(
                    "title", "amount", "ballot_rule", "min_projects", "max_projects"
                )
            )
        return []

    return {
        "space": (space.kind, space.title, space.summary, space.description),
        "image": (space.image.alt, space.image.widths) if space.image else None,
        "components": [
            (
                c.type_key,
                c.title,
                c.description,
                c.settings,
                [(p.kind, p.title, days(p.starts_at), days(p.ends_at)) for p in c.phases.all()],
                module_structure(c),
            )
            for c in components
        ],
    }
