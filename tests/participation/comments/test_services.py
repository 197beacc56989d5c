import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from core.errors import ApplicationError, NotAllowed
from participation.comments import selectors, services
from participation.comments.models import MAX_DEPTH, Comment, Flag, Support
from participation.news.models import NewsPost
from tenants.models import Tenant
from tests.conftest import TOWN_A
from tests.participation.factories import (
    AdminFactory,
    ModeratorFactory,
    ParticipantFactory,
    PhaseFactory,
)


@pytest.fixture
def citizen(in_town_a):
    return ParticipantFactory()


@pytest.fixture
def moderator(in_town_a):
    return ModeratorFactory()


# Threading


def test_replies_nest_down_to_depth_3_then_stay_there(post, citizen):
    comment = services.comment_add(author=citizen, item=post, body="Niveau 0")
    chain = [comment]
    for level in range(1, MAX_DEPTH + 3):
        chain.append(
            services.comment_add(
                author=citizen, item=post, body=f"Niveau {level}", parent=chain[-1]
            )
        )
    assert [c.depth for c in chain] == [0, 1, 2, 3, 3, 3]
    # A reply to a depth-3 comment joins its depth-2 ancestor's replies, beside it.
    assert chain[4].parent_id == chain[2].pk
    assert chain[5].parent_id == chain[2].pk

    roots = selectors.thread(post)
    assert [c.pk for c in roots] == [comment.pk]
    level2 = roots[0].children[0].children[0]
    assert [c.pk for c in level2.children] == [chain[3].pk, chain[4].pk, chain[5].pk]


def test_thread_costs_one_query_whatever_its_size(post, citizen):
    parents = [services.comment_add(author=citizen, item=post, body=f"C {n}") for n in range(10)]
    for parent in parents:
        services.comment_add(author=citizen, item=post, body="Réponse", parent=parent)
    with CaptureQueriesContext(connection) as queries:
        roots = selectors.thread(post)
        assert sum(len(root.children) for root in roots) == 10
        assert all(root.author.display_name for root in roots[0].children)
    assert len(selects(queries)) == 1


def test_a_reply_must_be_on_the_same_item(post, citizen):
    other = NewsPost.objects.create(
        component=post.component, title="Autre", body="…", published_at=timezone.now()
    )
    parent = services.comment_add(author=citizen, item=other, body="Sur l'autre")
    with pytest.raises(ApplicationError, match="autre contenu"):
        services.comment_add(author=citizen, item=post, body="Réponse", parent=parent)


@pytest.mark.parametrize(
    ("body", "message"), [("   ", "obligatoire"), ("x" * 3001, "3001 caractères, 3000 au plus")]
)
def test_bad_bodies_are_refused_with_the_reason(post, citizen, body, message):
    with pytest.raises(ApplicationError, match=message):
        services.comment_add(author=citizen, item=post, body=body)
    assert not Comment.objects.exists()


def test_html_is_stored_as_typed(post, citizen):
    comment = services.comment_add(author=citizen, item=post, body="<script>alert(1)</script>")
    comment.refresh_from_db()
    assert comment.body == "<script>alert(1)</script>"


def test_only_items_of_a_module_can_be_commented(citizen):
    with pytest.raises(ApplicationError, match="contenus d'un module"):
        services.comment_add(author=citizen, item=citizen, body="Bonjour")


def test_official_replies_are_for_moderators(post, citizen, moderator):
    question = services.comment_add(author=citizen, item=post, body="Quand ?")
    with pytest.raises(NotAllowed):
        services.comment_add(
            author=citizen, item=post, body="Lundi", parent=question, official=True
        )
    reply = services.comment_add(
        author=moderator, item=post, body="Lundi 8 h", parent=question, official=True
    )
    assert reply.is_official


def test_official_reply_is_possible_once_the_phase_is_over(post, citizen, moderator, phase):
    question = services.comment_add(author=citizen, item=post, body="Quand ?")
    phase.ends_at = timezone.now() - timezone.timedelta(seconds=1)
    phase.starts_at = phase.ends_at - timezone.timedelta(days=2)
    phase.save()
    post.component.refresh_from_db()
    with pytest.raises(NotAllowed, match="fermés"):
        services.comment_add(author=citizen, item=post, body="Encore ?", parent=question)
    services.comment_add(author=moderator, item=post, body="Lundi.", parent=question, official=True)


# Flagging


def test_flag_once_per_user_and_never_ones_own(post, citizen):
    comment = services.comment_add(author=citizen, item=post, body="Achetez ma voiture")
    with pytest.raises(ApplicationError, match="votre propre commentaire"):
        services.comment_flag(user=citizen, comment=comment, reason=Flag.Reason.SPAM)
    neighbour = ParticipantFactory()
    services.comment_flag(user=neighbour, comment=comment, reason=Flag.Reason.SPAM)
    with pytest.raises(ApplicationError, match="déjà signalé"):
        services.comment_flag(user=neighbour, comment=comment, reason=Flag.Reason.ABUSE)
    with pytest.raises(ApplicationError, match="motif"):
        services.comment_flag(user=ParticipantFactory(), comment=comment, reason="nope")
    assert Flag.objects.filter(comment=comment).count() == 1


# Moderation


def test_hide_needs_a_reason_and_restore_undoes_it(post, citizen, moderator):
    comment = services.comment_add(author=citizen, item=post, body="Hors charte")
    with pytest.raises(ApplicationError, match="obligatoire"):
        services.comment_hide(moderator=moderator, comment=comment, reason="  ")
    with pytest.raises(NotAllowed):
        services.comment_hide(moderator=ParticipantFactory(), comment=comment, reason="Non")
    services.comment_hide(moderator=moderator, comment=comment, reason="Propos injurieux")
    comment.refresh_from_db()
    assert comment.is_hidden
    assert comment.hidden_reason == "Propos injurieux"
    assert comment.hidden_by == moderator
    with pytest.raises(ApplicationError, match="déjà masqué"):
        services.comment_hide(moderator=moderator, comment=comment, reason="Encore")
    services.comment_restore(moderator=moderator, comment=comment)
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert comment.hidden_reason == ""


def test_moderation_queue_orders_by_pending_flags(post, citizen, moderator):
    quiet = services.comment_add(author=citizen, item=post, body="Merci")
    noisy = services.comment_add(author=citizen, item=post, body="Spam")
    once = services.comment_add(author=citizen, item=post, body="Bof")
    for _n in range(3):
        services.comment_flag(user=ParticipantFactory(), comment=noisy, reason="spam")
    services.comment_flag(user=ParticipantFactory(), comment=once, reason="off_topic")
    queue = list(selectors.moderation_queue(moderator))
    assert [c.pk for c in queue] == [noisy.pk, once.pk, quiet.pk]
    assert [c.flag_count for c in queue] == [3, 1, 0]
    # Once decided on, older flags no longer count.
    services.comment_hide(moderator=moderator, comment=noisy, reason="Publicité")
    services.comment_restore(moderator=moderator, comment=noisy)
    queue = list(selectors.moderation_queue(moderator))
    assert queue[0].pk == once.pk
    assert {c.pk: c.flag_count for c in queue}[noisy.pk] == 0


def test_space_moderators_queue_holds_only_their_spaces(post, citizen):
    other_phase = PhaseFactory()
    other_post = NewsPost.objects.create(
        component=other_phase.component, title="Ailleurs", body="…", published_at=timezone.now()
    )
    mine = services.comment_add(author=citizen, item=post, body="Ici")
    services.comment_add(author=citizen, item=other_post, body="Ailleurs")
    space_moderator = ParticipantFactory()
    post.component.space.moderators.add(space_moderator)
    assert [c.pk for c in selectors.moderation_queue(space_moderator)] == [mine.pk]
    assert not selectors.moderation_queue(citizen).exists()


# Supports


def test_support_toggles_once_per_user(post, citizen):
    assert services.support_toggle(user=citizen, item=post) is True
    assert Support.objects.count() == 1
    assert services.support_toggle(user=citizen, item=post, support=True) is True
    assert Support.objects.count() == 1
    assert services.support_toggle(user=citizen, item=post) is False
    assert Support.objects.count() == 0
    services.support_toggle(user=citizen, item=post)
    services.support_toggle(user=ParticipantFactory(), item=post)
    counts = selectors.counts_for_items([post])
    assert counts[selectors.counts_key(post)].supports == 2
    assert selectors.support_state(citizen, post).supported


def selects(queries) -> list[str]:
    """The queries that read, without django-tenants' ``SET search_path``."""
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]


def test_counts_for_many_items_in_two_queries(post, citizen):
    other = NewsPost.objects.create(
        component=post.component, title="Autre", body="…", published_at=timezone.now()
    )
    services.comment_add(author=citizen, item=post, body="Un")
    services.comment_add(author=citizen, item=post, body="Deux")
    services.support_toggle(user=citizen, item=other)
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.counts_for_items([post, other])
    assert len(selects(queries)) == 2
    assert counts[selectors.counts_key(post)].comments == 2
    assert counts[selectors.counts_key(post)].supports == 0
    assert counts[selectors.counts_key(other)].supports == 1


def test_concurrent_supports_of_one_account_make_one_support(django_db_setup, committed_db):
    # django_db_setup named too: the test database, never the development one.
    town = Tenant.objects.get(slug=TOWN_A)
    with tenant_context(town):
        phase = PhaseFactory()
        post = NewsPost.objects.create(
            component=phase.component, title="Concurrence", body="…", published_at=timezone.now()
        )
        user = ParticipantFactory()
    barrier = threading.Barrier(2)
    outcomes: list = []

    def click() -> None:
        try:
            with tenant_context(town):
                barrier.wait(timeout=10)
                try:
                    # What the button sends: the wanted state, so a double click is harmless.
                    outcomes.append(services.support_toggle(user=user, item=post, support=True))
                except ApplicationError as exc:
                    outcomes.append(str(exc))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=click) for _n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with tenant_context(town):
            assert Support.objects.filter(object_id=post.pk, user=user).count() == 1, outcomes
        assert outcomes == [True, True]
    finally:
        with tenant_context(town):
            Support.objects.filter(user=user).delete()
            post.delete()
            phase.component.space.delete()
            user.delete()


def test_a_removed_component_leaves_the_moderation_queue(post, citizen, moderator):
    from participation import lifecycle

    comment = services.comment_add(author=citizen, item=post, body="Spam")
    services.comment_flag(user=ParticipantFactory(), comment=comment, reason="spam")
    assert [c.pk for c in selectors.moderation_queue(moderator)] == [comment.pk]
    lifecycle.component_remove(actor=AdminFactory(), component=post.component)
    assert not selectors.moderation_queue(moderator).exists()
