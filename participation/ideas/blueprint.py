"""The template library's view of a call for ideas: its categories (its settings travel with
the component), never a proposal."""

from __future__ import annotations

from typing import Any

from participation.models import Component

from .models import Category


def blueprint_export(component: Component) -> dict[str, Any]:
    return {"categories": [c.name for c in Category.objects.filter(component=component)]}


def blueprint_import(component: Component, data: dict[str, Any]) -> None:
    Category.objects.bulk_create(
        Category(component=component, name=name, position=position)
        for position, name in enumerate(data.get("categories", []))
    )
