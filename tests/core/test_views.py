"""core.views: a service's refusal is flashed or put on the form, the same way everywhere."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from core.errors import Conflict, Invalid
from core.views import run_action, run_form_action


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _refuse(error):
    def action():
        raise error

    return action


class TitleForm(forms.Form):
    title = forms.CharField()
    file = forms.CharField(required=False)


def _bound_form() -> TitleForm:
    form = TitleForm({"title": "Budget 2026"})
    assert form.is_valid()
    return form


def test_run_action_flashes_success_and_says_so():
    request = _request()
    assert run_action(request, lambda: None, "Enregistré.") is True
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("success", "Enregistré.")]


def test_run_action_flashes_the_refusal_instead():
    request = _request()
    assert run_action(request, _refuse(Conflict("Déjà fait.")), "Enregistré.") is False
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [("error", "Déjà fait.")]


def test_run_form_action_returns_what_the_service_made():
    form = _bound_form()
    assert run_form_action(form, lambda: 42) == 42
    assert not form.errors


def test_a_refusal_goes_on_the_field_it_names():
    form = _bound_form()
    assert run_form_action(form, _refuse(Invalid("Trop long.", field="title"))) is None
    assert form.errors == {"title": ["Trop long."]}


def test_a_refusal_naming_no_field_of_the_form_goes_above_it_or_on_error_field():
    form = _bound_form()
    run_form_action(form, _refuse(Invalid("Refusé.", field="not_on_this_form")))
    assert form.non_field_errors() == ["Refusé."]
    form = _bound_form()
    run_form_action(form, _refuse(Invalid("Fichier vide.")), error_field="file")
    assert form.errors == {"file": ["Fichier vide."]}
