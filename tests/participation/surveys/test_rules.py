"""Who may answer and see the results: ROLES × MOMENTS of the answer phase."""

import pytest
import time_machine

from participation.surveys.models import Response
from tests.participation.conftest import MOMENTS, ROLES, make_user, moment_offset
from tests.participation.factories import ComponentFactory, PhaseFactory

from .conftest import build_survey, minimal_answers

MAY_ANSWER = {("citizen", "during"), ("moderator", "during"), ("admin", "during")}
SEES_RESULTS = {
    *((role, moment) for role in ("moderator", "admin") for moment in MOMENTS),
    *((role, "after") for role in ("anonymous", "unverified", "citizen")),
}


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(in_town_a, staff, role, moment):
    from core.errors import NotAllowed
    from participation.surveys import services

    component = ComponentFactory(type_key="surveys")
    phase = PhaseFactory(component=component, kind="answer")
    survey, q = build_survey(component, staff)
    user = make_user(role)
    with time_machine.travel(moment_offset(moment, phase), tick=False):
        component = type(component).objects.prefetch_related("phases").get(pk=component.pk)
        survey.component = component
        assert user.has_perm("surveys.answer_survey", survey) == ((role, moment) in MAY_ANSWER)
        assert user.has_perm("surveys.view_survey_results", survey) == (
            (role, moment) in SEES_RESULTS
        )
        assert user.has_perm("surveys.change_survey", survey) == (role in ("moderator", "admin"))
        if (role, moment) in MAY_ANSWER:
            services.survey_submit(user=user, survey=survey, answers=minimal_answers(q))
            assert Response.objects.filter(survey=survey).count() == 1
        else:
            with pytest.raises(NotAllowed):
                services.survey_submit(user=user, survey=survey, answers=minimal_answers(q))
            assert Response.objects.filter(survey=survey).count() == 0


def test_draft_space_results_hidden_from_residents_even_after(in_town_a, staff):
    from participation.models import Space

    component = ComponentFactory(type_key="surveys", space__status=Space.Status.DRAFT)
    phase = PhaseFactory(component=component, kind="answer")
    survey, _q = build_survey(component, staff)
    citizen = make_user("citizen")
    with time_machine.travel(moment_offset("after", phase), tick=False):
        assert not citizen.has_perm("surveys.view_survey_results", survey)
        assert staff.has_perm("surveys.view_survey_results", survey)
