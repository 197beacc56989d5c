"""Publishing, copying, versions and ratings of the template library, and what happens when
what a request names is gone meanwhile."""

import pytest
from django.db import IntegrityError, transaction
from django_tenants.utils import tenant_context

from core.errors import Invalid, NotAllowed, NotFound
from network.library import services
from network.library.models import (
    SpaceTemplate,
    SpaceTemplateVersion,
    TemplateRating,
    TemplateReuse,
)
from participation.models import Space
from participation.polls.models import Choice
from tests.network.library.conftest import counts
from tests.participation.factories import ModeratorFactory

pytestmark = pytest.mark.usefixtures("media_root")


def _publish(town, admin, space, **fields):
    with tenant_context(town):
        return services.template_publish(
            actor=admin,
            space_id=space.pk,
            title=fields.get("title", "Mobilités douces"),
            description=fields.get("description", "Une concertation sur le vélo."),
            tags=fields.get("tags", "Mobilité, vélo, mobilité"),
        )


def _copy(town, admin, template_id, **kwargs):
    with tenant_context(town):
        return services.template_copy(actor=admin, template_id=template_id, **kwargs)


def test_publishing_stores_a_first_version_with_clean_tags(town_a, source):
    admin, space = source
    version = _publish(town_a, admin, space)
    template = version.template
    assert (version.number, template.current_version) == (1, version)
    assert template.source_tenant == town_a and template.source_space_id == space.pk
    assert template.tags == ["mobilité", "vélo"]
    assert [c["type_key"] for c in version.blueprint["components"]] == ["polls"]


def test_publishing_again_makes_a_new_version_and_leaves_copies_untouched(
    town_a, town_b, source, target_admin
):
    admin, space = source
    first = _publish(town_a, admin, space)
    copy = _copy(town_b, target_admin, first.template_id)
    with tenant_context(town_a):
        Choice.objects.filter(label="Parfois").update(label="Jamais")
    second = _publish(town_a, admin, space, title="Mobilités douces, édition 2")

    template = SpaceTemplate.objects.get()
    assert (second.number, template.current_version, template.title) == (
        2,
        second,
        "Mobilités douces, édition 2",
    )
    first.refresh_from_db()
    assert "Parfois" in str(first.blueprint) and "Jamais" in str(second.blueprint)
    with tenant_context(town_b):
        assert set(
            Choice.objects.filter(poll__component__space=copy).values_list("label", flat=True)
        ) == {"Oui", "Non", "Parfois"}
    older = _copy(town_b, target_admin, template.pk, version_number=1)
    assert TemplateReuse.objects.filter(version=first).count() == 2
    assert older.pk != copy.pk


def test_a_copy_is_a_draft_recorded_as_a_reuse(town_a, town_b, source, target_admin):
    admin, space = source
    version = _publish(town_a, admin, space)
    copy = _copy(town_b, target_admin, version.template_id)
    assert copy.status == Space.Status.DRAFT
    reuse = TemplateReuse.objects.get()
    assert (reuse.version, reuse.target_tenant, reuse.created_space_id) == (
        version,
        town_b,
        copy.pk,
    )


def test_publishing_a_space_deleted_meanwhile_says_so_and_stores_nothing(town_a, source):
    admin, space = source
    with tenant_context(town_a):
        Space.objects.filter(pk=space.pk).delete()
    with pytest.raises(NotFound, match="n'existe plus"):
        _publish(town_a, admin, space)
    assert not SpaceTemplate.objects.exists() and not SpaceTemplateVersion.objects.exists()


def test_a_template_whose_source_space_was_deleted_still_copies_its_snapshot(
    town_a, town_b, source, target_admin
):
    admin, space = source
    version = _publish(town_a, admin, space)
    with tenant_context(town_a):
        Space.objects.filter(pk=space.pk).delete()
    copy = _copy(town_b, target_admin, version.template_id)
    with tenant_context(town_b):
        assert copy.components.get().type_key == "polls"


def test_copying_a_template_withdrawn_meanwhile_says_so_and_creates_nothing(
    town_a, town_b, source, target_admin
):
    admin, space = source
    version = _publish(town_a, admin, space)
    with tenant_context(town_a):
        services.template_withdraw(actor=admin, template=version.template)
    with tenant_context(town_b):
        before = counts()
    with pytest.raises(NotFound, match="retiré"):
        _copy(town_b, target_admin, version.template_id)
    with tenant_context(town_b):
        assert counts() == before
    assert not TemplateReuse.objects.exists()


def test_copying_a_version_gone_says_so(town_a, town_b, source, target_admin):
    admin, space = source
    version = _publish(town_a, admin, space)
    with pytest.raises(NotFound, match="version"):
        _copy(town_b, target_admin, version.template_id, version_number=7)


def test_a_copy_refused_by_the_target_town_saves_nothing(town_a, town_b, source, target_admin):
    admin, space = source
    version = _publish(town_a, admin, space)
    with tenant_context(town_b):
        town_b.enabled_modules = ["news"]
        before = counts()
        with pytest.raises(Invalid, match="Sondages"):
            services.template_copy(actor=target_admin, template_id=version.template_id)
        assert counts() == before
    assert not TemplateReuse.objects.exists()


def test_only_a_town_admin_publishes_copies_and_rates(town_a, town_b, source):
    admin, space = source
    version = _publish(town_a, admin, space)
    with tenant_context(town_a):
        moderator = ModeratorFactory()
        with pytest.raises(NotAllowed):
            services.template_publish(
                actor=moderator, space_id=space.pk, title="T", description="D", tags=""
            )
    with tenant_context(town_b):
        moderator = ModeratorFactory()
        with pytest.raises(NotAllowed):
            services.template_copy(actor=moderator, template_id=version.template_id)
        with pytest.raises(NotAllowed):
            services.template_rate(actor=moderator, template_id=version.template_id, stars=4)


def test_a_town_rates_once_and_may_change_its_rating(town_a, town_b, source, target_admin):
    admin, space = source
    template_id = _publish(town_a, admin, space).template_id
    with tenant_context(town_b):
        services.template_rate(actor=target_admin, template_id=template_id, stars=2)
        services.template_rate(actor=target_admin, template_id=template_id, stars=5)
        for stars in (0, 6):
            with pytest.raises(Invalid):
                services.template_rate(actor=target_admin, template_id=template_id, stars=stars)
    assert list(TemplateRating.objects.values_list("tenant__slug", "stars")) == [(town_b.slug, 5)]
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateRating.objects.create(template_id=template_id, tenant=town_b, stars=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateRating.objects.filter(tenant=town_b).update(stars=9)


def test_a_town_does_not_rate_its_own_template(town_a, source):
    admin, space = source
    template_id = _publish(town_a, admin, space).template_id
    with tenant_context(town_a), pytest.raises(Invalid, match="propres"):
        services.template_rate(actor=admin, template_id=template_id, stars=5)


def test_tags_are_bounded(town_a, source):
    admin, space = source
    with pytest.raises(Invalid, match="mots-clés"):
        _publish(town_a, admin, space, tags=",".join(f"t{n}" for n in range(12)))
    with pytest.raises(Invalid, match="caractères"):
        _publish(town_a, admin, space, tags="x" * 60)
