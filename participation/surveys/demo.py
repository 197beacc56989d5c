"""A town-wide consultation on soft mobility, for the demo towns."""

from participation.models import Component

from .models import Option, Question, Section, Survey

Kind = Question.Kind

INTRO = (
    "La ville prépare le plan des mobilités douces du centre-ville pour 2027-2030. "
    "Dites-nous comment vous vous déplacez aujourd'hui et ce qui vous aiderait à laisser la "
    "voiture au garage. Comptez dix minutes ; vos réponses sont anonymes."
)

# (section title, [(kind, label, options / (rows, columns), extra)])
SECTIONS = [
    (
        "Vos déplacements aujourd'hui",
        [
            (Kind.SINGLE_CHOICE, "Comment venez-vous le plus souvent en centre-ville ?",
             ["À pied", "À vélo", "En bus", "En voiture", "Je n'y vais presque jamais"],
             {"required": True}),
            (Kind.MULTIPLE_CHOICE, "Pour quelles raisons y venez-vous ?",
             ["Travail ou études", "Courses et marché", "Démarches administratives",
              "Loisirs et culture", "Accompagner un enfant"],
             # The page says the limit itself (« 3 choix au plus. »): no help text repeating it.
             {"max_choices": 3}),
            (Kind.NUMBER, "Combien de minutes dure votre trajet habituel ?", None,
             {"min_value": 0, "max_value": 240}),
        ],
    ),
    (
        "Le vélo en centre-ville",
        [
            (Kind.SCALE, "Vous sentez-vous en sécurité à vélo dans le centre ? (1 : pas du tout, "
             "5 : tout à fait)", None, {"condition": (0, "À vélo")}),
            (Kind.RANKING, "Classez ces aménagements par ordre de priorité",
             ["Pistes cyclables séparées", "Stationnements vélos sécurisés",
              "Zones 30 élargies", "Rues scolaires piétonnes"],
             {"max_choices": 3, "help_text": "Vos trois priorités, de la plus importante à la "
              "moins importante."}),
            (Kind.MATRIX, "Que pensez-vous de ces lieux pour circuler à pied ou à vélo ?",
             (["Place du marché", "Avenue de la gare", "Abords des écoles"],
              ["Agréable", "Acceptable", "Dangereux"]), {}),
        ],
    ),
    (
        "Vos idées",
        [
            (Kind.SHORT_TEXT, "Quel endroit faudrait-il aménager en premier ?", None, {}),
            (Kind.LONG_TEXT, "Avez-vous d'autres idées ou remarques ?", None, {}),
            (Kind.DATE, "Si vous souhaitez participer à l'atelier de terrain, quelle date "
             "vous conviendrait ?", None, {"help_text": "Ateliers prévus en avril."}),
        ],
    ),
]  # fmt: skip


def survey_seed(component: Component) -> Survey:
    survey = Survey.objects.create(
        component=component, title="Mobilités douces en centre-ville", intro=INTRO
    )
    created: list[Question] = []
    for section_position, (title, questions) in enumerate(SECTIONS):
        section = Section.objects.create(survey=survey, title=title, position=section_position)
        for position, (kind, label, options, extra) in enumerate(questions):
            extra = dict(extra)
            condition = extra.pop("condition", None)
            if condition is not None:
                question_index, option_label = condition
                extra["condition_question"] = created[question_index]
                extra["condition_option"] = created[question_index].options.get(label=option_label)
            question = Question.objects.create(
                section=section, position=position, kind=kind, label=label, **extra
            )
            if kind == Kind.MATRIX:
                rows, columns = options
                labelled = [(Option.Role.ROW, rows), (Option.Role.COLUMN, columns)]
            else:
                labelled = [(Option.Role.CHOICE, options or [])]
            Option.objects.bulk_create(
                [
                    Option(question=question, role=role, label=text, position=index)
                    for role, texts in labelled
                    for index, text in enumerate(texts)
                ]
            )
            created.append(question)
    return survey
