"""Making a budget of the budgets module (written alongside) for the bridge's test."""


def make_budget(budget_models, ideas_component):
    """A Budget with the fewest fields its model requires; adjust once its shape settles."""
    from django.db import models

    from tests.participation.factories import ComponentFactory

    budget_model = budget_models.Budget
    values = {}
    for field in budget_model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null or field.blank:
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model._meta.label == "participation.Component":
                values[field.name] = ComponentFactory(
                    space=ideas_component.space, type_key="budgets"
                )
            elif field.related_model._meta.label == "participation.Space":
                values[field.name] = ideas_component.space
        elif isinstance(field, models.DecimalField | models.IntegerField):
            values[field.name] = 100_000
        elif isinstance(field, models.DateTimeField):
            from django.utils import timezone

            values[field.name] = timezone.now()
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = "Budget participatif 2027"
    return budget_model.objects.create(**values)
