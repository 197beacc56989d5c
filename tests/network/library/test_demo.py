"""The demo: Montigny publishes its « Mobilités douces » consultation as a template, once."""

from network.library.models import SpaceTemplate, SpaceTemplateVersion
from onboarding.demo import demo_seed


def test_montigny_publishes_its_consultation_once(platform, media_root):
    demo_seed()
    template = SpaceTemplate.objects.get()
    assert template.source_tenant.slug == "montigny"
    assert template.title == "Mobilités douces"
    assert template.tags == ["mobilité", "vélo", "concertation"]
    modules = [c["type_key"] for c in template.current_version.blueprint["components"]]
    assert sorted(modules) == ["polls", "surveys"]

    demo_seed()
    assert SpaceTemplateVersion.objects.count() == 1
