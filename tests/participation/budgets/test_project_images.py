"""A budget project's picture: given with its description in the back office, shown on the
budget's page in responsive sizes; refused without a description or when it is no picture."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from core.errors import Invalid
from participation.budgets import services
from participation.budgets.models import Project
from participation.models import Image
from tests.participation.budgets.conftest import url
from tests.participation.conftest import logged_in


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", (1000, 500), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("bancs.png", buffer.getvalue(), "image/png")


def test_staff_add_a_project_with_its_picture_and_residents_see_it(
    make_budget, staff, town_a, media_root
):
    budget = make_budget(projects=[])
    browser = logged_in(town_a, staff)
    response = browser.post(
        url(budget, "budgets_admin:project_add"),
        {"title": "Bancs", "cost": "4000", "image": photo(), "image_alt": "Dix bancs au parc"},
    )
    assert response.status_code == 302
    project = Project.objects.get(budget=budget)
    assert project.image.alt == "Dix bancs au parc"
    page = logged_in(town_a).get(url(budget.component, "budgets:detail")).content.decode()
    assert 'alt="Dix bancs au parc"' in page
    assert f"images/{project.image.key}/480.webp 480w" in page


def test_a_project_picture_without_description_is_refused(make_budget, staff, media_root):
    budget = make_budget(projects=[])
    with pytest.raises(Invalid, match="Décrivez l'image"):
        services.project_add(actor=staff, budget=budget, title="Bancs", cost=4000, image=photo())
    assert not Project.objects.exists()
    assert not Image.objects.exists()


def test_a_project_picture_that_is_no_picture_is_refused(make_budget, staff, town_a, media_root):
    budget = make_budget(projects=[])
    response = logged_in(town_a, staff).post(
        url(budget, "budgets_admin:project_add"),
        {
            "title": "Bancs",
            "cost": "4000",
            "image": SimpleUploadedFile("bancs.png", b"MZ\x90\x00", "image/png"),
            "image_alt": "Bancs",
        },
    )
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "« bancs.png » n'est pas une image PNG, JPEG ou WebP" in page
    assert not Project.objects.exists()
