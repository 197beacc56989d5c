from participation.comments import services
from participation.registry import registry
from tests.participation.factories import ParticipantFactory


def test_comments_and_supports_are_contributions_and_personal_data(post):
    citizen = ParticipantFactory()
    comment = services.comment_add(author=citizen, item=post, body="Mon avis")
    services.support_toggle(user=citizen, item=post)
    sources = {source.key: source for source in registry.data_sources()}
    for key in ("comments", "supports"):
        rows = list(sources[key].contributions())
        assert [(r["component_id"], r["author_id"]) for r in rows] == [
            (post.component_id, citizen.pk)
        ]
    mine = sources["comments"].personal_data(citizen)
    assert [c["body"] for c in mine["comments"]] == ["Mon avis"]
    assert mine["comments"][0]["id"] == comment.pk
    assert len(sources["supports"].personal_data(citizen)) == 1
