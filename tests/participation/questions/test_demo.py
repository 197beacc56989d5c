"""The demo town's officials, services and questions: some answered, one declined, one
overdue, one just received; its record shows on the public page."""

from decimal import Decimal

from participation import demo
from participation.models import Component, MunicipalService, Official
from participation.questions import selectors
from participation.questions.models import Question
from tests.participation.factories import AdminFactory, ParticipantFactory


def test_the_demo_seeds_officials_services_and_questions(in_town_a):
    admin = AdminFactory()
    residents = [ParticipantFactory(), ParticipantFactory()]
    demo.demo_content_seed(
        admin=admin, residents=residents, centre=(Decimal("43.2130"), Decimal("2.3491"))
    )
    assert Official.objects.filter(published=True).count() == 4
    assert MunicipalService.objects.count() == 3
    component = Component.objects.get(type_key="questions")
    statuses = sorted(Question.objects.values_list("status", flat=True))
    assert statuses == ["answered", "answered", "declined", "received", "routed"]
    record = selectors.answer_record(component)
    assert record.overdue == 1
    assert record.median_days == 9.0  # answered after 6 and 12 days
    assert record.in_time_percent == 67  # 2 of the 3 due (one overdue)
    assert len(selectors.map_points(Component.objects.filter(pk=component.pk))) == 4
