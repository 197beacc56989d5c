"""Invented questions for the demo towns, through the module's own services: some answered
(by an official, by a service), one declined, one routed and overdue, one just received."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from participation.demo import demo_centre
from participation.models import Component, MunicipalService, Official

from . import services
from .models import Question, QuestionEvent

THEMES = ("Voirie et stationnement", "Propreté", "Écoles et enfance", "Transports")

# (title, body, theme index or None, days ago, what happened: (action, after days) or None)
DEMO_QUESTIONS = [
    (
        "Quand sera réparé l'éclairage de la rue Trivalle ?",
        "Depuis trois semaines, la moitié des lampadaires de la rue Trivalle sont éteints : "
        "le soir, le trottoir est dangereux pour les enfants qui rentrent du collège.",
        0,
        30,
        ("answer_service", 6),
    ),
    (
        "Des places de vélo devant la médiathèque ?",
        "Il n'y a aucun arceau devant la médiathèque : les vélos sont attachés aux grilles. "
        "Est-il prévu d'en installer ?",
        3,
        25,
        ("answer_official", 12),
    ),
    (
        "Cantine : d'où viennent les légumes ?",
        "Quelle part des légumes servis dans les cantines de l'agglo vient de producteurs locaux ?",
        2,
        22,
        ("decline", 2),
    ),
    (
        "Dépôts sauvages chemin de la Cité",
        "Des sacs et des encombrants s'accumulent à l'entrée du chemin de la Cité. Qui doit "
        "les ramasser et quand ?",
        1,
        20,
        ("route", 1),
    ),
    (
        "Horaires du bus 4 le dimanche",
        "Le bus 4 ne passe pas le dimanche matin : est-ce que cela peut changer pour aller au "
        "marché ?",
        3,
        1,
        None,
    ),
]


def questions_seed(component: Component) -> None:
    residents = list(
        User.objects.filter(
            role=User.Role.CITIZEN,
            email_verified_at__isnull=False,
            profile__charter_accepted_at__isnull=False,
        ).order_by("pk")[:2]
    )
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    if admin is None:
        return
    themes = [services.theme_add(actor=admin, component=component, name=name) for name in THEMES]
    officials = list(Official.objects.filter(published=True))
    service = MunicipalService.objects.first()
    if not residents or not officials or service is None:
        return
    centre = demo_centre()
    now = timezone.now()
    for index, (title, body, theme, days_ago, outcome) in enumerate(DEMO_QUESTIONS):
        place = {}
        if centre is not None:
            shift = Decimal("0.002") * index
            place = {"latitude": centre[0] + shift, "longitude": centre[1] - shift}
        question = services.question_ask(
            author=residents[index % len(residents)],
            component=component,
            title=title,
            body=body,
            theme=themes[theme] if theme is not None else None,
            addressed_to=officials[index % len(officials)] if index % 2 else None,
            **place,
        )
        _carry_out(question, outcome, admin=admin, official=officials[0], service=service)
        _backdate(question, asked=now - datetime.timedelta(days=days_ago), outcome=outcome)


def _carry_out(question, outcome, *, admin, official, service) -> None:
    if outcome is None:
        return
    action = outcome[0]
    if action == "decline":
        services.question_decline(
            actor=admin,
            question=question,
            reason=Question.DeclineReason.OUT_OF_SCOPE,
            note="La restauration scolaire relève des communes, pas de l'agglomération : "
            "posez votre question à votre mairie.",
        )
        return
    if action == "answer_official":
        question = services.question_route(actor=admin, question=question, official=official)
    else:
        question = services.question_route(actor=admin, question=question, service=service)
    if action.startswith("answer"):
        services.question_answer(
            actor=admin,
            question=question,
            answer="Merci pour votre question. Les travaux sont commandés et seront faits "
            "dans les deux semaines ; nous publierons ici leur achèvement.",
        )


def _backdate(question: Question, *, asked: datetime.datetime, outcome) -> None:
    """Demo dates: the question asked ``asked``, each later step ``after`` days on."""
    closed = asked + datetime.timedelta(days=outcome[1]) if outcome else None
    Question.objects.filter(pk=question.pk).update(
        created_at=asked,
        routed_at=closed if outcome and outcome[0] != "decline" else None,
    )
    Question.objects.filter(pk=question.pk, answered_at__isnull=False).update(answered_at=closed)
    Question.objects.filter(pk=question.pk, declined_at__isnull=False).update(declined_at=closed)
    events = list(QuestionEvent.objects.filter(question=question).order_by("pk"))
    for event in events:
        event.at = asked if event.status == Question.Status.RECEIVED else closed
    QuestionEvent.objects.bulk_update(events, ["at"])
