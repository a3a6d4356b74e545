"""Administrators edit the programme's profile here (one row: no second one can be added).

The logo is taken as a PNG or JPEG of at most 1 MB and 4 megapixels, checked and copied
without its metadata by the platform's image checks, and stored in the row (letters are
printed without network access, so the logo travels inside each one).
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from stride.web.platform.media_checks import MediaRefused, write_image_without_metadata
from stride.web.platform.models import ProgrammeProfile
from stride.web.platform.names import country_choices
from stride.web.platform.uploads import sniff

#: Largest logo file taken, in bytes, and largest logo in pixels (a letterhead needs little).
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4_000_000
_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


class ProgrammeProfileForm(forms.ModelForm):  # type: ignore[type-arg]
    logo_file = forms.FileField(
        label=_("logo"), required=False,
        help_text=_("PNG or JPEG, at most 1 MB and 4 megapixels; leave empty to keep the "
                    "current logo."))
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = ProgrammeProfile
        fields = ("legal_name", "short_name", "address", "country", "phones", "whatsapp",
                  "email", "website", "signatory_name", "signatory_title",
                  "registration_numbers", "bank_details", "language", "is_synthetic",
                  "hip_rise_points_per_year", "hip_rise_policy_version",
                  "hip_rise_policy_set_by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"] = forms.ChoiceField(
            label=_("country"), required=False,
            choices=[("", "—"), *country_choices()])
        self.fields["website"] = forms.URLField(label=_("website"), required=False,
                                                assume_scheme="https")

    def clean_logo_file(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("The logo is larger than 1 MB. Save it smaller and "
                                          "try again."))
        head = upload.read(64)
        upload.seek(0)
        detected = sniff(head)
        pillow_format = _FORMATS.get(detected.content_type) if detected else None
        if pillow_format is None:
            raise forms.ValidationError(_("The logo must be a PNG or JPEG picture."))
        out = io.BytesIO()
        try:
            write_image_without_metadata(upload, out, pillow_format, max_pixels=LOGO_MAX_PIXELS)
        except MediaRefused as refused:
            raise forms.ValidationError(
                _("The logo could not be read as a picture of at most 4 megapixels. Save it "
                  "again as PNG or JPEG and try again.")) from refused
        return out.getvalue(), detected.content_type  # type: ignore[union-attr]

    def save(self, commit: bool = True) -> ProgrammeProfile:
        profile: ProgrammeProfile = super().save(commit=False)
        logo = self.cleaned_data.get("logo_file")
        if self.cleaned_data.get("remove_logo"):
            profile.logo, profile.logo_content_type = b"", ""
        elif logo:
            profile.logo, profile.logo_content_type = logo
        if commit:
            profile.save()
        return profile


@admin.register(ProgrammeProfile)
class ProgrammeProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = ProgrammeProfileForm
    list_display = ("legal_name", "country", "email", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One programme, one profile: every letter takes the same letterhead.
        return super().has_add_permission(request) and not ProgrammeProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
