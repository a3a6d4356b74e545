"""The child outcome page's one input: the reference set the charts and figures use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.core.natural_history import DEFAULT_REFERENCE, list_references


def _choices() -> list[tuple[str, str]]:
    return [(r.key, f"{r.citation.short} · v{r.version}")
            for r in list_references() if r.status.usable]


class ReferenceForm(forms.Form):
    """``?reference=name@version``; only verified sets are offered (pending ones cannot be)."""

    reference = forms.ChoiceField(
        label=_("Reference curves"), required=False,
        error_messages={"invalid_choice": _(
            "%(value)s is not a usable reference set. Choose one from the list; sets whose "
            "constants are not verified cannot be used.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reference"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (declared above)
        field.choices = _choices()

    def chosen(self) -> str:
        """Return the chosen set's key; the default set when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid() and self.cleaned_data["reference"]:
            return str(self.cleaned_data["reference"])
        return DEFAULT_REFERENCE
