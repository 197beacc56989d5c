"""The election's pages: the ballot and its receipt, the results after the close only, the
back office's roll import and candidacies."""

import datetime
import re

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participation.elections.models import Candidate, Elector
from tests.participation.conftest import logged_in
from tests.participation.elections.test_roll_import import GOOD_AND_BAD


def url(component, name):
    return reverse(f"elections:{name}", args=[component.space.slug, component.pk])


def admin(component, name, *args):
    return reverse(f"elections_admin:{name}", args=[component.space.slug, component.pk, *args])


def test_vote_page_receipt_and_results_after_the_close(
    town_a, component, vote_phase, candidates, elector
):
    voter = elector()
    client = logged_in(town_a, voter)
    page = client.get(url(component, "detail"))
    assert page.status_code == 200 and "Alice" in page.content.decode()
    ballot = client.get(url(component, "vote"))
    assert "ne peut plus être modifié" in ballot.content.decode()
    too_many = client.post(url(component, "vote"), {"candidate": [c.pk for c in candidates[:3]]})
    assert too_many.status_code == 400
    assert "2 candidats au plus" in too_many.content.decode()
    done = client.post(url(component, "vote"), {"candidate": [candidates[0].pk]})
    assert done.status_code == 200
    receipt = re.search(r'id="receipt">([A-Z0-9-]+)<', done.content.decode()).group(1)
    again = client.post(url(component, "vote"), {"candidate": [candidates[1].pk]})
    assert again.status_code == 409 and "déjà voté" in again.content.decode()
    hidden = client.get(url(component, "results"))
    assert hidden.status_code == 302
    with time_machine.travel(vote_phase.ends_at + datetime.timedelta(hours=1)):
        shown = client.get(url(component, "results"))
        text = shown.content.decode()
        assert shown.status_code == 200
        assert receipt in text
        assert "Voix par candidat" in text
        assert "les deux nombres sont égaux" in text


def test_someone_not_on_the_roll_is_told_so(town_a, component, vote_phase, candidates, resident):
    client = logged_in(town_a, resident())
    refused = client.post(url(component, "vote"), {"candidate": [candidates[0].pk]})
    assert refused.status_code == 403
    assert "liste électorale" in refused.content.decode()


def test_backoffice_imports_the_roll_and_validates_candidacies(town_a, component, staff, elector):
    client = logged_in(town_a, staff)
    assert client.get(admin(component, "index")).status_code == 200
    upload = SimpleUploadedFile("liste.csv", GOOD_AND_BAD.encode(), content_type="text/csv")
    page = client.post(admin(component, "roll_import"), {"file": upload})
    text = page.content.decode()
    assert "2 électeurs ajoutés" in text and "Ligne 4" in text
    latin = SimpleUploadedFile("liste.csv", GOOD_AND_BAD.encode("latin-1"))
    refused = client.post(admin(component, "roll_import"), {"file": latin})
    assert refused.status_code == 400 and "UTF-8" in refused.content.decode()
    assert Elector.objects.filter(component=component).count() == 2
    candidate = Candidate.objects.create(
        component=component, user=elector(), name="Élise", gender="f", statement="Oui."
    )
    client.post(admin(component, "candidacy", candidate.pk), {"decision": "validate"})
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.VALIDATED


def test_a_resident_cannot_open_the_backoffice(town_a, component, elector):
    client = logged_in(town_a, elector())
    assert client.get(admin(component, "index")).status_code in (302, 403)
