"""Forms of the stories pages: the story's details, a text, a picture, the checklist, the
clinician's note and the family's answer. Each says what was wrong next to its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stride.core.stories import ChecklistItem
from stride.web.documents.models import Document
from stride.web.platform.names import country_choices

CHECKLIST_LABELS = {
    ChecklistItem.NO_FULL_NAME.value: _("No full name of the child or a family member "
                                        "appears anywhere: text, picture or video."),
    ChecklistItem.NO_EXACT_DATE.value: _("No exact date appears (a year or a season is "
                                         "fine)."),
    ChecklistItem.NO_PLACE_BELOW_COUNTRY.value: _("No place smaller than a country is named "
                                                  "or visible (no town, school or street)."),
}


def _countries() -> list[tuple[str, str]]:
    return [("", "—"), *country_choices()]


class StoryDetailsForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Name shown"), max_length=40,
        help_text=_("An initial or a name the family chose: never the child's full name."))
    country = forms.ChoiceField(label=_("Country"), choices=_countries,
                                help_text=_("The finest place a story may name."))


class StoryTextForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Story"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 10}))


def _percent(label: Any) -> forms.FloatField:
    return forms.FloatField(label=label, required=False, min_value=0, max_value=100)


class _DocumentField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.original_name} ({obj.get_kind_display()})"


class StoryMediaForm(forms.Form):
    document = _DocumentField(label=_("Photo or video the family sent"),
                              queryset=Document.objects.none())
    alt_text = forms.CharField(label=_("Description for people who cannot see it"),
                               max_length=300)
    crop_left = _percent(_("Crop: left edge (%)"))
    crop_top = _percent(_("Crop: top edge (%)"))
    crop_width = _percent(_("Crop: width (%)"))
    crop_height = _percent(_("Crop: height (%)"))
    blur_left = _percent(_("Blur a face: left edge (%)"))
    blur_top = _percent(_("Blur a face: top edge (%)"))
    blur_width = _percent(_("Blur a face: width (%)"))
    blur_height = _percent(_("Blur a face: height (%)"))
    no_face_visible = forms.BooleanField(label=_("No face is visible in this video"),
                                         required=False)

    def __init__(self, *args: Any, documents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        if documents is not None:
            field.queryset = documents

    def _box(self, prefix: str) -> list[float] | None:
        values = [self.cleaned_data.get(f"{prefix}_{part}")
                  for part in ("left", "top", "width", "height")]
        if all(v is None for v in values):
            return None
        if any(v is None for v in values):
            self.add_error(f"{prefix}_left", _("Give all four numbers of the rectangle, or "
                                               "none."))
            return None
        return [float(v) for v in values if v is not None]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["crop"] = self._box("crop")
        blur = self._box("blur")
        cleaned["blur"] = [blur] if blur else []
        return cleaned


class ChecklistForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("De-identification checklist"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(CHECKLIST_LABELS.items()))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class FamilyAnswerForm(forms.Form):
    message = forms.CharField(label=_("What would you like changed?"), required=False,
                              max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
