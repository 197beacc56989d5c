import pytest

from core.errors import Invalid
from core.text import clean_text


def test_text_is_trimmed():
    assert clean_text("  Un banc place du marché \n", label="Titre", max_length=40) == (
        "Un banc place du marché"
    )


@pytest.mark.parametrize("value", ["", "   \n\t", None])
def test_a_blank_required_text_is_refused_naming_its_field(value):
    with pytest.raises(Invalid) as refusal:
        clean_text(value, label="Titre", max_length=40, field="title")
    assert str(refusal.value) == "Titre : ce champ est obligatoire."
    assert refusal.value.field == "title"


def test_a_blank_optional_text_is_empty():
    assert clean_text(None, label="Description", max_length=40, required=False) == ""


def test_the_length_is_counted_after_trimming():
    assert clean_text("  abcde  ", label="Code", max_length=5) == "abcde"
    with pytest.raises(Invalid) as refusal:
        clean_text("abcdef", label="Code", max_length=5, required=False)
    assert str(refusal.value) == "Code : 6 caractères, 5 au plus."


def test_markup_is_kept_as_typed():
    """Templates escape it when shown; cleaning it here would garble what people wrote."""
    text = "<script>alert(1)</script> & co"
    assert clean_text(text, label="Titre", max_length=100) == text
