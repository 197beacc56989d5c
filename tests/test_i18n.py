"""French by default, English on request, and no source string left without its English text."""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import client_for

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
# Each participatory module carries its own catalogue, in its package.
MODULES = sorted(path.parent.name for path in BASE_DIR.glob("participation/*/component.py"))
MODULE_PO_FILES = [
    BASE_DIR / "participation" / module / "locale" / "en" / "LC_MESSAGES" / "django.po"
    for module in MODULES
]
PO_FILES = [PO_FILE, *MODULE_PO_FILES]


# Pages ----------------------------------------------------------------------------------------


def test_home_is_french_by_default(town_a):
    response = client_for(town_a).get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Créer un compte" in html
    assert "Create an account" not in html


def test_home_follows_the_browser_language(town_a):
    response = client_for(town_a).get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Create an account" in html
    assert "Take part in the life of Ville A" in html
    assert "Créer un compte" not in html


def test_language_switch_sticks_for_the_next_pages(town_a):
    client = client_for(town_a)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/compte/inscription/"})
    assert response.status_code == 302
    assert response["Location"] == "/compte/inscription/"

    html = client.get("/compte/inscription/").content.decode()
    assert '<html lang="en">' in html
    for label in ("Display name", "Email address", "Password", "Create my account"):
        assert label in html
    for label in ("Nom affiché", "Adresse e-mail", "Créer mon compte"):
        assert label not in html


# Catalogue ------------------------------------------------------------------------------------


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file: {"flags": set, "msgid": str, "msgstr": {key: str}, ...}."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#~"):  # obsolete entry, ignored by msgfmt
            continue
        entry = entry if entry is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += text
            else:
                entry[field[0]] += text
        else:
            keyword, value = line.split(" ", 1)
            text = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = ("msgstr", keyword)
                entry["msgstr"][keyword] = text
            else:
                field = (keyword, None)
                entry[keyword] = text
    return entries


def _untranslated_and_fuzzy(po_file: Path) -> tuple[list[str], list[str]]:
    entries = _po_entries(po_file)
    messages = [entry for entry in entries if entry["msgid"]]
    # The project's catalogue holds the whole site's strings; a module's, its own few.
    at_least = 5 if "participation" in po_file.parts else 100
    assert len(messages) > at_least, f"{po_file} looks truncated"
    untranslated = [
        entry["msgid"]
        for entry in messages
        if not entry["msgstr"] or not all(entry["msgstr"].values())
    ]
    return untranslated, [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]


@pytest.mark.parametrize("po_file", PO_FILES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_english_catalogue_has_no_untranslated_or_fuzzy_entry(po_file):
    untranslated, fuzzy = _untranslated_and_fuzzy(po_file)

    assert fuzzy == [], f"fuzzy entries in {po_file}: {fuzzy}"
    assert untranslated == [], f"untranslated entries in {po_file}: {untranslated}"


def test_each_module_keeps_its_strings_in_its_own_catalogue():
    """A module's strings are in participation/<module>/locale, not in the project's catalogue:
    removing the module takes its translations with it."""
    assert {"news", "documents", "polls", "surveys", "ideas", "budgets"} <= set(MODULES)
    for po_file in MODULE_PO_FILES:
        assert po_file.is_file(), f"{po_file} is missing"
    references = [
        line for line in PO_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#:")
    ]
    in_modules = [
        line for line in references if any(f"participation/{module}/" in line for module in MODULES)
    ]
    assert in_modules == [], f"module strings in {PO_FILE}: {in_modules[:5]}"


# What `makemessages` is run with (the catalogue's own command); on a copy of the code.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "en",
    "--ignore=.venv",
    "--ignore=var",
    "--ignore=node_modules",
]


def test_no_string_of_the_code_is_missing_from_the_catalogue(tmp_path):
    """A string added to the code without running makemessages is in no catalogue: English
    pages would show it in French. makemessages, run on a copy of the code, must find nothing
    new to translate."""
    copy = tmp_path / "agora"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        env={**os.environ, "PYTHONPATH": str(copy)},
        check=True,
        capture_output=True,
        timeout=300,
    )

    missing = []
    for po_file in PO_FILES:
        untranslated, fuzzy = _untranslated_and_fuzzy(copy / po_file.relative_to(BASE_DIR))
        missing += untranslated + fuzzy

    command = " ".join(MAKEMESSAGES)
    assert missing == [], (
        f"not in the English catalogue (./agora manage {command}, translate, compilemessages): "
        f"{missing}"
    )


@pytest.mark.parametrize("po_file", PO_FILES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_compiled_catalogue_matches_the_po_file(po_file):
    """The committed .mo is what Django reads: it must hold every translation of the .po."""
    with po_file.with_suffix(".mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)

    stale = []
    for entry in _po_entries(po_file):
        if not entry["msgid"]:
            continue
        if "msgid_plural" in entry:
            expected = [entry["msgstr"]["msgstr[0]"], entry["msgstr"]["msgstr[1]"]]
            actual = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
        else:
            expected, actual = entry["msgstr"]["msgstr"], catalogue.gettext(entry["msgid"])
        if actual != expected:
            stale.append(entry["msgid"])
    assert stale == [], f"run ./agora manage compilemessages --ignore=.venv; stale: {stale}"


# Module pages in English ------------------------------------------------------------------------


def test_module_pages_and_back_office_render_in_english(town_a):
    """A space, a poll, a survey and the back-office dashboard, asked for in English: the
    interface is in English (the residents' own content stays as they wrote it)."""
    import datetime

    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from participation.polls import services as polls
    from participation.polls.models import Poll
    from tests.participation.factories import (
        AdminFactory,
        ComponentFactory,
        ModeratorFactory,
        ParticipantFactory,
        PhaseFactory,
        SpaceFactory,
    )
    from tests.participation.surveys.conftest import build_survey

    with tenant_context(town_a):
        staff = AdminFactory()
        citizen = ParticipantFactory()
        moderator = ModeratorFactory()
        space = SpaceFactory(title="Place du marché", slug="place-du-marche")

        poll_component = ComponentFactory(space=space, type_key="polls", title="Sondage")
        now = timezone.now()
        PhaseFactory(
            component=poll_component,
            kind="answer",
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=14),
        )
        poll = polls.poll_create(
            actor=staff,
            component=poll_component,
            question="Que voulez-vous sur la place ?",
            kind=Poll.Kind.SINGLE,
            choices=["Des arbres", "Des bancs", "Une aire de jeux"],
            max_choices=None,
            results_visibility=Poll.ResultsVisibility.AFTER_ANSWER,
        )

        survey_component = ComponentFactory(space=space, type_key="surveys", title="Enquête")
        PhaseFactory(component=survey_component, kind="answer")
        survey, _questions = build_survey(survey_component, staff)

    def english_page(user, path: str) -> str:
        client = client_for(town_a)
        with tenant_context(town_a):  # the accounts live in the town's schema
            client.force_login(user)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="en">' in html, path
        return html

    def check(html: str, english: tuple[str, ...], french: tuple[str, ...]) -> None:
        for text in english:
            assert text in html, f"missing English text: {text}"
        for text in french:
            assert text not in html, f"French text left in an English page: {text}"

    space_html = english_page(citizen, f"/espaces/{space.slug}/")
    check(
        space_html,
        english=("Follow this space", "Public consultation", "My account", "Log out"),
        french=("Suivre cet espace", "Concertation", "Mon compte", "Se déconnecter"),
    )

    poll_html = english_page(citizen, f"/espaces/{space.slug}/polls/{poll_component.pk}/")
    assert poll.question in poll_html  # the question itself is the town's own text
    check(
        poll_html,
        english=(
            "Send my answer",
            "Your response",
            "Choose only one answer.",
            "The results are visible once you have answered.",
        ),
        french=(
            "Envoyer ma réponse",
            "Votre réponse",
            "Choisissez une seule réponse.",
            "Les résultats sont visibles après avoir répondu.",
        ),
    )

    survey_html = english_page(
        citizen, f"/espaces/{space.slug}/surveys/{survey_component.pk}/{survey.pk}/"
    )
    assert survey.title in survey_html
    check(
        survey_html,
        english=("Send my answers", "(required)", "The others are optional."),
        french=("Envoyer mes réponses", "(obligatoire)", "Les autres sont facultatives."),
    )

    dashboard_html = english_page(moderator, "/gestion/")
    check(
        dashboard_html,
        english=("Participation dashboard", "verified accounts", "contributions in total"),
        french=("Tableau de bord", "comptes vérifiés", "contributions en tout"),
    )
