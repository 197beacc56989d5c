"""Pabulib in a budget's back office: upload, preview, import (all or nothing), export, and
the greedy rule and the Method of Equal Shares side by side."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from participation.budgets import pabulib, selectors
from participation.budgets.models import Ballot, Budget, Project
from participation.budgets.services import pabulib_files
from tests.participation.budgets.conftest import url
from tests.participation.budgets.test_views import browser_for
from tests.participation.factories import ParticipantFactory
from tests.participation.team.factories import Kind, member

PABULIB = Path(settings.BASE_DIR).resolve().parent / "shared" / "pabulib"
SAINT_CYPRIEN = PABULIB / "France_Toulouse_2022_6_-_Saint-Cyprien.pb"


@pytest.fixture
def empty_budget(make_budget):
    return make_budget(projects=[], title="Saint-Cyprien", max_projects=None)


@pytest.fixture
def admin(town_a, in_town_a):
    return browser_for(town_a, "admin")


def upload(client, budget, data: bytes, name: str = "saint-cyprien.pb"):
    return client.post(
        url(budget, "budgets_admin:pabulib_upload"), {"file": SimpleUploadedFile(name, data)}
    )


def nothing_in(budget) -> bool:
    return not Project.objects.filter(budget=budget).exists() and not Ballot.objects.exists()


def test_upload_preview_then_import(admin, empty_budget):
    data = SAINT_CYPRIEN.read_bytes()
    response = upload(admin, empty_budget, data)
    assert response.status_code == 302
    token = parse_qs(urlsplit(response["Location"]).query)["jeton"][0]
    assert nothing_in(empty_budget)  # a preview writes nothing in the budget
    page = admin.get(response["Location"]).content.decode()
    assert "Bulletins</dt><dd>436</dd>" in page and "approval" in page
    assert "Végétalisation massive de la place Roguet" in page
    # The preview survives on its own: the file is kept privately under its token.
    kept = list((Path(settings.PRIVATE_MEDIA_ROOT) / "pabulib").rglob(f"*{token}*/*.pb"))
    assert len(kept) == 1 and kept[0].read_bytes() == data
    response = admin.post(url(empty_budget, "budgets_admin:pabulib_preview"), {"jeton": token})
    assert response.status_code == 302
    budget = Budget.objects.get(pk=empty_budget.pk)
    assert (budget.amount, budget.ballot_rule, budget.max_projects) == (400_000, "approval", 3)
    assert budget.projects.count() == 10 and Ballot.objects.filter(budget=budget).count() == 436
    assert not kept[0].exists()
    # Imported once: the token is spent, and the budget is no longer empty.
    again = admin.post(url(empty_budget, "budgets_admin:pabulib_preview"), {"jeton": token})
    assert again.status_code in (400, 403)
    assert Ballot.objects.filter(budget=budget).count() == 436


def test_a_bad_line_imports_nothing_and_names_every_line(admin, empty_budget):
    lines = SAINT_CYPRIEN.read_text(encoding="utf-8").split("\n")
    bad = next(i for i, line in enumerate(lines) if line.startswith("36;"))
    lines[bad] = lines[bad].replace(";80000.0;", ";quatre-vingt mille;")
    votes = next(i for i, line in enumerate(lines) if line.strip() == "VOTES") + 2
    # Every vote for that project is refused with it, each naming its line.
    cited = [
        n + 1
        for n, line in enumerate(lines)
        if n >= votes and "36" in line.strip().split(";")[-1].split(",")
    ]
    response = upload(admin, empty_budget, "\n".join(lines).encode())
    assert response.status_code == 400
    page = response.content.decode()
    assert f"est pas importé : {len(cited) + 1} erreurs." in page
    assert f"Ligne {bad + 1} :" in page and "quatre-vingt mille" in page
    assert f"Ligne {cited[-1]} :" in page and "projet inconnu « 36 »" in page
    assert nothing_in(empty_budget)
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / "pabulib").exists() or not list(
        (Path(settings.PRIVATE_MEDIA_ROOT) / "pabulib").rglob("*.pb")
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (SAINT_CYPRIEN.read_bytes().decode().encode("latin-1", "replace"), "a.pb", "pas en UTF-8"),
        (b"META\nkey;value\n", "liste.csv", "extension .pb"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.pb", "pas un fichier texte"),
    ],
)
def test_wrong_encoding_or_type_is_refused(admin, empty_budget, data, name, message):
    response = upload(admin, empty_budget, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_in(empty_budget)


def test_the_encoding_error_names_its_line():
    data = "META\nkey;value\ndescription;Qu\xe9bec\n".encode("latin-1")
    with pytest.raises(pabulib_files.Invalid, match=r"pas en UTF-8 \(ligne 3\)"):
        pabulib_files.pabulib_text(data, "quebec.pb")


def test_a_50_mb_file_is_refused_unread(admin, empty_budget):
    data = b"META\n" + b"x" * (50 * 1024 * 1024)
    response = upload(admin, empty_budget, data)
    assert response.status_code == 413
    assert "Le fichier dépasse 15 Mo" in response.content.decode()
    assert nothing_in(empty_budget)


def test_export_then_import_gives_the_same_projects_and_ballots(
    admin, empty_budget, make_budget, staff
):
    from participation.budgets import importing

    importing_budget = empty_budget
    preview = pabulib_files.pabulib_stage(
        actor=staff,
        budget=importing_budget,
        data=SAINT_CYPRIEN.read_bytes(),
        filename="saint-cyprien.pb",
    )
    pabulib_files.pabulib_import(actor=staff, budget=importing_budget, token=preview.token)
    response = admin.get(url(importing_budget, "budgets_admin:pabulib_export"))
    assert response.status_code == 200
    assert 'filename="saint-cyprien.pb"' in response["Content-Disposition"]
    exported = response.content
    copy = make_budget(projects=[], title="Copie", max_projects=None)
    response = upload(admin, copy, exported, "copie.pb")
    token = parse_qs(urlsplit(response["Location"]).query)["jeton"][0]
    admin.post(url(copy, "budgets_admin:pabulib_preview"), {"jeton": token})
    original = pabulib.parse(SAINT_CYPRIEN.read_text(encoding="utf-8"))
    again = pabulib.parse(importing.export_pabulib(Budget.objects.get(pk=copy.pk)))
    assert again.costs == original.costs
    assert {(v.voter_id, tuple(v.projects)) for v in again.votes} == {
        (v.voter_id, tuple(v.projects)) for v in original.votes
    }


def test_greedy_and_mes_side_by_side(admin, empty_budget, staff):
    preview = pabulib_files.pabulib_stage(
        actor=staff, budget=empty_budget, data=SAINT_CYPRIEN.read_bytes(), filename="sc.pb"
    )
    pabulib_files.pabulib_import(actor=staff, budget=empty_budget, token=preview.token)
    comparison = selectors.rules_compared(empty_budget)
    greedy = {row.title for row in comparison.rows if row.greedy}
    mes = {row.title for row in comparison.rows if row.mes}
    assert greedy and mes and comparison.differences == len(greedy ^ mes)
    page = admin.get(url(empty_budget, "budgets_admin:rules_compared")).content.decode()
    assert "Glouton" in page and "Parts égales" in page
    assert page.count('class="differs"') == comparison.differences
    for title in greedy ^ mes:
        assert re.search(r"<mark>" + re.escape(title.replace("'", "&#x27;")) + "</mark>", page)


def test_paper_agents_and_residents_neither_import_nor_export(town_a, empty_budget):
    for user in (member(Kind.PAPER_AGENT), ParticipantFactory()):
        client = browser_for(town_a, user=user)
        assert upload(client, empty_budget, SAINT_CYPRIEN.read_bytes()).status_code == 403
        assert client.get(url(empty_budget, "budgets_admin:pabulib_export")).status_code == 403
        assert client.get(url(empty_budget, "budgets_admin:rules_compared")).status_code == 403
    assert nothing_in(empty_budget)


def test_a_budget_with_projects_takes_no_file(admin, make_budget):
    budget = make_budget()
    response = upload(admin, budget, SAINT_CYPRIEN.read_bytes())
    assert response.status_code == 403
    assert "importez dans un budget vide" in response.content.decode()
    assert Project.objects.filter(budget=budget).count() == 5
