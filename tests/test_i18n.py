"""French by default, English on request, and no source string left without its English text."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

from tests.conftest import client_for

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"


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


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = _po_entries(PO_FILE)
    messages = [entry for entry in entries if entry["msgid"]]
    assert len(messages) > 100, "the English catalogue looks truncated"

    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    untranslated = [
        entry["msgid"]
        for entry in messages
        if not entry["msgstr"] or not all(entry["msgstr"].values())
    ]
    assert fuzzy == [], f"fuzzy entries in {PO_FILE.name}: {fuzzy}"
    assert untranslated == [], f"untranslated entries in {PO_FILE.name}: {untranslated}"


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what Django reads: it must hold every translation of the .po."""
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)

    stale = []
    for entry in _po_entries(PO_FILE):
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
