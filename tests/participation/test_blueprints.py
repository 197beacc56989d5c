"""A space's blueprint (participation.blueprints): exported in town A through each module's
hook, rebuilt in town B as the same structure, as a draft, with nothing of A's residents."""

import datetime
import json

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from core.errors import Invalid
from participation.blueprints import blueprint_summary, space_blueprint, space_from_blueprint
from participation.images import image_store
from participation.models import Space
from participation.registry import registry
from tests.core.test_images import picture, upload
from tests.participation.blueprint_support import seed_demo_town, space_structure
from tests.participation.factories import AdminFactory, ParticipantFactory, SpaceFactory

pytestmark = pytest.mark.usefixtures("media_root")


def _export_all(town):
    with tenant_context(town):
        seed_demo_town()
        spaces = list(Space.objects.order_by("pk"))
        return [(space_structure(s), space_blueprint(space=s)) for s in spaces]


def test_every_module_with_a_structure_declares_both_hooks():
    for component_type in registry:
        assert (component_type.blueprint_export is None) == (
            component_type.blueprint_import is None
        ), component_type.key
    with_hooks = {ct.key for ct in registry if ct.blueprint_export}
    assert {"surveys", "polls", "ideas", "budgets"} <= with_hooks


def test_each_demo_space_is_rebuilt_with_the_same_structure_in_another_town(town_a, town_b):
    exported = _export_all(town_a)
    assert {ct for s, _ in exported for ct, *_ in s["components"]} >= {
        "surveys",
        "polls",
        "ideas",
        "budgets",
        "news",
        "documents",
    }
    with tenant_context(town_b):
        admin = AdminFactory()
        for source_structure, blueprint in exported:
            copy = space_from_blueprint(
                actor=admin, blueprint=blueprint, start=datetime.date(2027, 3, 1)
            )
            assert copy.status == Space.Status.DRAFT
            assert space_structure(copy) == source_structure
            phases = [p for c in copy.components.all() for p in c.phases.all()]
            assert timezone.localdate(min(p.starts_at for p in phases)) == datetime.date(2027, 3, 1)


def test_the_survey_conditions_point_to_the_copied_questions(town_a, town_b):
    from participation.surveys.models import Question

    exported = _export_all(town_a)
    with tenant_context(town_b):
        admin = AdminFactory()
        for _structure, blueprint in exported:
            space_from_blueprint(actor=admin, blueprint=blueprint)
        conditional = Question.objects.filter(condition_question__isnull=False)
        assert conditional.exists()
        for question in conditional:
            survey = question.section.survey
            assert question.condition_question.section.survey == survey
            assert question.condition_option.question == question.condition_question


def test_the_space_picture_is_copied_as_files_under_the_new_town(town_a, town_b, media_root):
    with tenant_context(town_a):
        space = SpaceFactory()
        space.image = image_store(upload=upload(picture()), alt="Une rue partagée")
        space.save()
        blueprint = space_blueprint(space=space)
    with tenant_context(town_b):
        copy = space_from_blueprint(actor=AdminFactory(), blueprint=blueprint)
        assert copy.image.alt == "Une rue partagée"
        assert copy.image.key != space.image.key
        assert copy.image.widths == space.image.widths
        for width in copy.image.widths:
            copied = media_root / town_b.schema_name / copy.image.path(width)
            source = media_root / town_a.schema_name / space.image.path(width)
            assert copied.read_bytes() == source.read_bytes()


def test_a_blueprint_holds_no_contribution_nor_resident(town_a):
    exported = _export_all(town_a)
    text = json.dumps([bp.document for _s, bp in exported], ensure_ascii=False)
    for word in ("camille", "karim", "source.test", "Mairie source", "@"):
        assert word.lower() not in text.lower()
    with tenant_context(town_a):
        from participation.comments.models import Comment
        from participation.ideas.models import Proposal

        assert Proposal.objects.exists() and Comment.objects.exists()
        for proposal in Proposal.objects.all():
            assert proposal.title not in text
        for comment in Comment.objects.all():
            assert comment.body not in text


def test_a_module_missing_in_the_target_town_refuses_the_whole_copy(town_a, town_b):
    exported = _export_all(town_a)
    blueprint = next(bp for _s, bp in exported if bp.document["space"]["kind"] == "consultation")
    with tenant_context(town_b):
        admin = AdminFactory()
        town_b.enabled_modules = ["news"]
        before = Space.objects.count()
        with pytest.raises(Invalid, match="abonnement"):
            space_from_blueprint(actor=admin, blueprint=blueprint)
        assert Space.objects.count() == before


def test_only_town_admins_copy_a_blueprint(town_a, town_b):
    from core.errors import NotAllowed

    exported = _export_all(town_a)
    with tenant_context(town_b), pytest.raises(NotAllowed):
        space_from_blueprint(actor=ParticipantFactory(), blueprint=exported[0][1])


def test_the_summary_names_modules_phases_and_structure(town_a):
    exported = _export_all(town_a)
    consultation = next(bp for _s, bp in exported if bp.document["space"]["kind"] == "consultation")
    summary = blueprint_summary(consultation.document)
    labels = {c["type_label"] for c in summary["components"]}
    assert {"Questionnaires", "Sondages"} <= {str(label) for label in labels}
    assert all(c["phases"] and c["items"] for c in summary["components"])
