"""Forms of the site app: a member of staff's public profile, and the admin's forms for
programme content (currency by name, cost ranges checked)."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stride.core.costs import CURRENCIES
from stride.web.platform.media_checks import MediaRefused, write_image_without_metadata
from stride.web.platform.names import currency_choices, language_name
from stride.web.platform.uploads import sniff
from stride.web.site.models import CostRange, StaffProfile
from stride.web.site.services import BIOGRAPHY_MAX, NAME_MAX, ROLE_TITLE_MAX

#: Largest photo taken, in bytes and in pixels (a face on a web page needs little).
PHOTO_MAX_BYTES = 1024 * 1024
PHOTO_MAX_PIXELS = 4_000_000
_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


def checked_photo(upload: Any) -> tuple[bytes, str]:
    """A photo as bytes without metadata and its content type, or a ``ValidationError``
    that says what was wrong and what to do."""
    if upload.size > PHOTO_MAX_BYTES:
        raise forms.ValidationError(_("The photo is larger than 1 MB. Save it smaller and "
                                      "try again."))
    head = upload.read(64)
    upload.seek(0)
    detected = sniff(head)
    pillow_format = _FORMATS.get(detected.content_type) if detected else None
    if detected is None or pillow_format is None:
        raise forms.ValidationError(_("The photo must be a PNG or JPEG picture."))
    out = io.BytesIO()
    try:
        write_image_without_metadata(upload, out, pillow_format, max_pixels=PHOTO_MAX_PIXELS)
    except MediaRefused as refused:
        raise forms.ValidationError(
            _("The photo could not be read as a picture of at most 4 megapixels. Save it "
              "again as PNG or JPEG and try again.")) from refused
    return out.getvalue(), detected.content_type


class PublicProfileForm(forms.Form):
    """Name, role, photo and one biography per site language."""

    display_name = forms.CharField(label=_("Your name as families should read it"),
                                   max_length=NAME_MAX)
    role_title = forms.CharField(label=_("Your role"), max_length=ROLE_TITLE_MAX,
                                 help_text=_("For example: paediatric neurosurgeon."))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("PNG or JPEG, at most 1 MB and 4 megapixels; leave "
                                        "empty to keep the current photo."))
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _name in settings.LANGUAGES:
            self.fields[f"role_title_{code}"] = forms.CharField(
                label=_("Your role in %(language)s") % {"language": language_name(code)},
                required=False, max_length=ROLE_TITLE_MAX,
                widget=forms.TextInput(attrs={"lang": code}))
            self.fields[f"biography_{code}"] = forms.CharField(
                label=_("Biography in %(language)s") % {"language": language_name(code)},
                required=False, max_length=BIOGRAPHY_MAX,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}))

    @staticmethod
    def initial_for(profile: StaffProfile | None) -> dict[str, object]:
        """The form's initial values from a saved profile (empty without one)."""
        if profile is None:
            return {}
        initial: dict[str, object] = {"display_name": profile.display_name,
                                      "role_title": profile.role_title}
        for biography in profile.biographies.all():
            initial[f"biography_{biography.language}"] = biography.text
            initial[f"role_title_{biography.language}"] = biography.role_title
        return initial

    def language_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(role, biography) fields of each site language, in the site's order."""
        return [(self[f"role_title_{code}"], self[f"biography_{code}"])
                for code, _name in settings.LANGUAGES]

    def clean_photo(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("photo")
        return checked_photo(upload) if upload else None

    def biographies(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"biography_{code}", "")
                for code, _name in settings.LANGUAGES}

    def role_titles(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"role_title_{code}", "")
                for code, _name in settings.LANGUAGES}


class CostRangeAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """A cost range in the admin: the currency chosen by its name."""

    class Meta:
        model = CostRange
        fields = ("programme", "order", "currency", "low", "high", "valid_from", "published",
                  "is_synthetic")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["currency"] = forms.ChoiceField(
            label=_("currency"), choices=[("", "—"), *currency_choices(sorted(CURRENCIES))])
