"""Who may comment on a news post: ROLES × MOMENTS of the component's "publication" phase."""

import pytest
import time_machine

from core.errors import NotAllowed
from participation.comments import services
from participation.comments.models import Comment
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset

ALLOWED = {("citizen", "during"), ("moderator", "during"), ("admin", "during")}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_comment_matrix(post, phase, role, moment):
    user = make_user(role)
    allowed = (role, moment) in ALLOWED
    with time_machine.travel(moment_offset(moment, phase), tick=False):
        assert user.has_perm("comments.add_comment", post) is allowed
        if allowed:
            services.comment_add(author=user, item=post, body="Bonne nouvelle !")
        else:
            with pytest.raises(NotAllowed):
                services.comment_add(author=user, item=post, body="Bonne nouvelle !")
    assert Comment.objects.count() == (1 if allowed else 0)


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_support_matrix(post, phase, role, moment):
    user = make_user(role)
    allowed = (role, moment) in ALLOWED
    with time_machine.travel(moment_offset(moment, phase), tick=False):
        assert user.has_perm("comments.add_support", post) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("unverified", False), ("citizen", False), ("moderator", True),
     ("admin", True)],
)  # fmt: skip
def test_moderation_and_official_replies_are_for_moderators(post, role, allowed):
    user = make_user(role)
    comment = services.comment_add(author=make_user("citizen"), item=post, body="Question ?")
    assert user.has_perm("comments.moderate_comment", comment) is allowed
    assert user.has_perm("comments.add_official_reply", post) is allowed


def test_a_space_moderator_moderates_only_their_space(post):
    from tests.participation.factories import ParticipantFactory

    space_moderator = ParticipantFactory()
    comment = services.comment_add(author=make_user("citizen"), item=post, body="Question ?")
    assert not space_moderator.has_perm("comments.moderate_comment", comment)
    post.component.space.moderators.add(space_moderator)
    assert space_moderator.has_perm("comments.moderate_comment", comment)


def test_refusal_says_why(post):
    with pytest.raises(NotAllowed, match="Confirmez"):
        services.comment_add(author=make_user("unverified"), item=post, body="Bonjour")
