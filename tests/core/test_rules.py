"""core.rules: predicates that name why they refuse, and why_not."""

import rules
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from core.rules import Check, denied, refusal, why_not
from tests.participation.conftest import make_user


@refusal
def closed(user, obj) -> str | None:
    return "Fermé." if obj == "closed" else None


@refusal
def too_young(user, obj) -> str | None:
    return "Trop jeune." if obj == "young" else None


no_reason = Check.of(lambda user, obj: obj != "nobody")


def test_and_names_its_first_refusing_operand():
    both = closed & too_young
    assert both.refusal(None, "closed") == "Fermé."
    assert both.refusal(None, "young") == "Trop jeune."
    assert both.refusal(None, "open") is None
    assert both.test(None, "open") is True
    assert both.test(None, "young") is False


def test_or_prefers_a_reason_of_its_own_to_the_plain_refusal():
    either = no_reason | closed
    assert either.refusal(None, "open") is None
    assert either.refusal(None, "closed") is None  # no_reason passes
    assert (Check.of(lambda user, obj: False) | closed).refusal(None, "closed") == "Fermé."
    assert (closed | Check.of(lambda user, obj: False)).refusal(None, "closed") == "Fermé."
    assert (no_reason | no_reason).refusal(None, "nobody") == denied()


def test_otherwise_replaces_the_reason_and_keeps_the_test():
    renamed = (closed & too_young).otherwise("Pas maintenant.")
    assert renamed.refusal(None, "young") == "Pas maintenant."
    assert renamed.refusal(None, "open") is None


def test_invert_tests_the_opposite():
    assert (~closed).test(None, "closed") is True
    assert (~closed).refusal(None, "open") == denied()


def test_a_plain_predicate_on_the_left_still_tests_the_same():
    combined = rules.predicate(lambda user, obj: True) & closed
    assert combined.test(None, "closed") is False
    assert combined.test(None, "open") is True


def test_why_not_answers_as_has_perm_does(in_town_a):
    rules.add_perm("tests.reasoned_thing", closed & too_young)
    rules.add_perm("tests.plain_thing", rules.predicate(lambda user, obj: obj == "open"))
    try:
        citizen = make_user("citizen")
        for obj in ("closed", "young", "open"):
            assert (why_not(citizen, "tests.reasoned_thing", obj) is None) is citizen.has_perm(
                "tests.reasoned_thing", obj
            )
        assert why_not(citizen, "tests.reasoned_thing", "young") == "Trop jeune."
        assert why_not(citizen, "tests.plain_thing", "open") is None
        assert why_not(citizen, "tests.plain_thing", "closed") == denied()
        assert why_not(AnonymousUser(), "tests.unknown_perm") == denied()
        citizen.is_active = False
        assert not citizen.has_perm("tests.reasoned_thing", "open")
        with translation.override("fr"):
            assert why_not(citizen, "tests.reasoned_thing", "open") == "Ce compte est désactivé."
    finally:
        rules.remove_perm("tests.reasoned_thing")
        rules.remove_perm("tests.plain_thing")
