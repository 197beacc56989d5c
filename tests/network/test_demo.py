"""The demo: the demo towns' admins have threads and replies in the network, made once."""

import pytest

from network.models import NetworkMember, Post, Thread
from onboarding.demo import demo_seed

pytestmark = pytest.mark.django_db


def test_the_demo_towns_admins_talk_in_the_network(platform, media_root):
    demo_seed()
    threads = Thread.objects.count()
    assert threads == 3
    towns = set(
        Post.objects.filter(author__tenant__isnull=False).values_list(
            "author__tenant__slug", flat=True
        )
    )
    assert towns == {"montigny", "saint-dizier", "carcassonne-agglo"}
    answered = Thread.objects.get(answer__isnull=False)
    assert answered.author.tenant.slug == "montigny"
    assert answered.answer.author.tenant.slug == "saint-dizier"
    assert NetworkMember.objects.filter(vendor_user__isnull=False).count() == 1
    demo_seed()
    assert Thread.objects.count() == threads
