"""The roll imported by the town: good lines written, bad ones reported with their reason;
an unreadable file writes nothing."""

import pytest

from core.errors import Invalid, NotAllowed
from participation.elections import services
from participation.elections.models import Elector
from participation.elections.roll_import import roll_import
from tests.participation.factories import ParticipantFactory

GOOD_AND_BAD = (
    "nom;prenom;date_naissance;email\n"
    "Durand;Élise;03/05/1980;elise@example.org\n"
    "Martin;;01/01/1970;martin@example.org\n"  # no first name
    "Petit;Léa;31/02/1990;lea@example.org\n"  # no such date
    "Roux;Paul;1985-07-14;pas-une-adresse\n"  # bad e-mail
    "Durand;Élise;03/05/1980;ELISE@example.org\n"  # twice
    "\n"
    "N'Diaye;Aïssatou;12/11/1995;aissatou@example.org\n"
)


def test_good_lines_are_written_bad_ones_reported(component, staff):
    report = roll_import(actor=staff, component=component, data=GOOD_AND_BAD.encode())
    assert report.added == 2
    assert [line for line, _reason in report.rejected] == [3, 4, 5, 6]
    reasons = dict(report.rejected)
    assert "prénom" in reasons[3]
    assert "date de naissance" in reasons[4]
    assert "e-mail invalide" in reasons[5]
    assert "déjà sur la liste" in reasons[6]
    assert sorted(Elector.objects.filter(component=component).values_list("email", flat=True)) == [
        "aissatou@example.org",
        "elise@example.org",
    ]
    # Imported again: every line is now already on the roll.
    again = roll_import(actor=staff, component=component, data=GOOD_AND_BAD.encode())
    assert again.added == 0
    assert Elector.objects.filter(component=component).count() == 2


def test_wrong_encoding_writes_nothing(component, staff):
    data = GOOD_AND_BAD.encode("latin-1")
    with pytest.raises(Invalid, match="UTF-8"):
        roll_import(actor=staff, component=component, data=data)
    assert not Elector.objects.filter(component=component).exists()


def test_missing_columns_write_nothing(component, staff):
    data = b"nom;prenom\nDurand;Elise\n"
    with pytest.raises(Invalid, match="date_naissance, email"):
        roll_import(actor=staff, component=component, data=data)
    assert not Elector.objects.filter(component=component).exists()


def test_a_resident_cannot_import(component, resident):
    with pytest.raises(NotAllowed):
        roll_import(actor=resident(), component=component, data=GOOD_AND_BAD.encode())


def test_the_verified_residents_of_the_neighbourhood_go_on_the_roll(
    component, staff, resident, elector
):
    already = elector()
    here = resident()
    unverified = resident(email_verified_at=None)
    elsewhere = ParticipantFactory()  # of no neighbourhood
    assert services.roll_add_residents(actor=staff, component=component) == 1
    on_roll = set(Elector.objects.filter(component=component).values_list("user_id", flat=True))
    assert on_roll == {already.pk, here.pk}
    assert unverified.pk not in on_roll and elsewhere.pk not in on_roll
    assert services.roll_add_residents(actor=staff, component=component) == 0
