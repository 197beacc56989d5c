from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["neighbourhood", "birth_year", "phone"]
        help_texts = {
            "phone": _("Jamais montré aux autres participants."),
            "birth_year": _("Facultatif : sert à vérifier l'âge minimum de certains votes."),
        }


class ImageFields(forms.Form):
    """The picture of an object (a space, an idea, a budget project, a homepage block): a file,
    the words that describe it, and, on an edit form, a box to remove it. The form checks
    only their shape; ``participation.images.image_change`` decides."""

    image = forms.FileField(
        label=_("Image (facultative)"),
        required=False,
        help_text=_("Photo ou illustration PNG, JPEG ou WebP, 10 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    image_alt = forms.CharField(
        label=_("Ce que montre l'image"),
        max_length=250,
        required=False,
        help_text=_(
            "Obligatoire avec une image : ce qu'elle montre, en une phrase, pour les personnes "
            "qui ne la voient pas."
        ),
    )
    remove_image = forms.BooleanField(label=_("Retirer l'image"), required=False)

    def __init__(self, *args, current_image=None, **kwargs):
        """``current_image``: the object's picture, on an edit form (its description is the
        field's starting value; the box to remove it shows only then)."""
        super().__init__(*args, **kwargs)
        self.current_image = current_image
        if current_image is None:
            del self.fields["remove_image"]
        else:
            self.fields["image_alt"].initial = current_image.alt
            self.fields["image"].label = _("Remplacer l'image (facultatif)")

    def image_arguments(self) -> dict:
        """The cleaned picture fields as ``image_change`` takes them."""
        return {
            "upload": self.cleaned_data.get("image"),
            "alt": self.cleaned_data.get("image_alt") or "",
            "remove": bool(self.cleaned_data.get("remove_image")),
        }


def text_field(
    label, max_length: int, *, required_hint: bool = True, rows: int | None = None, **kwargs
):
    """A text field whose service checks it (blank, too long: its message names the field):
    the form only carries the browser's hints (``maxlength``, ``required``); ``rows`` makes
    it a text area."""
    attrs = {"maxlength": max_length}
    if required_hint:
        attrs["required"] = True
    widget = forms.Textarea({**attrs, "rows": rows}) if rows else forms.TextInput(attrs)
    return forms.CharField(label=label, required=False, strip=False, widget=widget, **kwargs)
