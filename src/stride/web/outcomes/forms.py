"""Forms of the outcome pages (all GET forms): report filters, the claims check, and the
child page's one input, the reference set its charts and figures use."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.core.demographics import check_country
from stride.core.errors import InvalidValue
from stride.core.natural_history.catalogue import get_reference, list_references
from stride.core.natural_history.model import ReferenceSet
from stride.core.natural_history.sets import DEFAULT_REFERENCE
from stride.core.registry.claims import MAX_CLAIM_LENGTH, Claim, parse_claim
from stride.core.registry.report import GroupBy
from stride.web.outcomes.selectors.cohort import ReportFilters
from stride.web.outcomes.wording import GROUP_BY_CHOICES, SUBTYPE_CHOICES, TREATMENT_CHOICES

#: Anchor years a period may name (the registry holds no earlier or later treatment).
FIRST_YEAR, LAST_YEAR = 1990, 2100

AGE_BAND_CHOICES = [
    ("", _("Any age")),
    ("0-4", _("Under 4 years")),
    ("4-8", _("4 to under 8 years")),
    ("8-12", _("8 to under 12 years")),
    ("12-18", _("12 to under 18 years")),
]


def _reference_choices() -> list[tuple[str, str]]:
    # Only usable (verified) sets; a pending set is never offered for computation.
    return [(ref.name, ref.citation.short) for ref in list_references() if ref.status.usable]


def _reference_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Reference curves"), required=False,
                             choices=_reference_choices, initial=DEFAULT_REFERENCE)


def _reference(cleaned: dict[str, Any]) -> ReferenceSet:
    return get_reference(cleaned.get("reference") or DEFAULT_REFERENCE)


class ReportForm(forms.Form):
    """The cohort report's filters; every field optional (empty: no restriction)."""

    treatment = forms.ChoiceField(label=_("Treatment"), required=False,
                                  choices=[("", _("Every treatment")), *TREATMENT_CHOICES])
    scpe_subtype = forms.ChoiceField(label=_("CP subtype (SCPE)"), required=False,
                                     choices=[("", _("Any subtype")), *SUBTYPE_CHOICES])
    gmfcs = forms.TypedChoiceField(
        label=_("GMFCS level at baseline"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any level")), *((str(n), str(n)) for n in range(1, 6))])
    age_band = forms.ChoiceField(label=_("Age at treatment"), required=False,
                                 choices=AGE_BAND_CHOICES)
    country = forms.CharField(label=_("Country (two-letter code)"), required=False,
                              max_length=8)
    year_from = forms.IntegerField(label=_("Treated from year"), required=False,
                                   min_value=FIRST_YEAR, max_value=LAST_YEAR)
    year_to = forms.IntegerField(label=_("Treated up to year"), required=False,
                                 min_value=FIRST_YEAR, max_value=LAST_YEAR)
    comparison = forms.BooleanField(
        label=_("Show the comparison group (evaluated, never treated; same filters)"),
        required=False)
    group_by = forms.ChoiceField(label=_("Split each group by"), required=False,
                                 choices=GROUP_BY_CHOICES)
    reference = _reference_field()

    def clean_country(self) -> str | None:
        value: str = self.cleaned_data["country"]
        if not value.strip():
            return None
        try:
            return check_country(value)
        except InvalidValue:
            raise forms.ValidationError(
                _("Enter a two-letter ISO country code such as BG or SA, or leave it empty."),
                code="country") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("year_from"), cleaned.get("year_to")
        if start is not None and end is not None and start > end:
            self.add_error("year_to", _(
                "The last year must not be before the first year (%(start)s); correct one "
                "of them.") % {"start": start})
        return cleaned

    def filters(self) -> ReportFilters:
        """Return the filters of a valid form."""
        data = self.cleaned_data
        return ReportFilters(
            treatment=data["treatment"] or None,
            scpe_subtype=data["scpe_subtype"] or None,
            gmfcs=data["gmfcs"],
            age_band=data["age_band"] or None,
            country=data["country"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            comparison=bool(data["comparison"]),
        )

    def grouping(self) -> GroupBy:
        """Return how to split each arm (everyone together when not chosen)."""
        return GroupBy(self.cleaned_data["group_by"] or GroupBy.NONE.value)

    def reference_set(self) -> ReferenceSet:
        """Return the chosen reference set (the default when not chosen)."""
        return _reference(self.cleaned_data)


class ClaimForm(forms.Form):
    """A claim to check against the registry."""

    claim = forms.CharField(
        label=_("Claim to check"), max_length=MAX_CLAIM_LENGTH,
        help_text=_('For example: "96% improved after SDR" or "74.5% to 79.5% of children '
                    'gained improvements".'))
    #: The claim's words are read in English only; in any language the treatment can be
    #: chosen here instead, and the choice wins over the words.
    treatment = forms.ChoiceField(
        label=_("Treatment the claim is about"), required=False,
        choices=[("", _("As named in the claim (else every treatment)")), *TREATMENT_CHOICES])
    reference = _reference_field()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        claim, chosen = cleaned.get("claim"), cleaned.get("treatment")
        if isinstance(claim, Claim) and chosen:
            cleaned["claim"] = replace(claim, treatment=chosen)
        return cleaned

    def clean_claim(self) -> Claim:
        try:
            return parse_claim(self.cleaned_data["claim"])
        except InvalidValue:
            raise forms.ValidationError(
                _("Write the claim with a percentage from 0 to 100 (or a range such as "
                  "74.5% to 79.5%), for example \"96% improved after SDR\"."),
                code="claim") from None

    def reference_set(self) -> ReferenceSet:
        """Return the chosen reference set (the default when not chosen)."""
        return _reference(self.cleaned_data)


def _usable_references() -> list[tuple[str, str]]:
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
        field.choices = _usable_references()

    def chosen(self) -> str:
        """Return the chosen set's key; the default set when nothing (valid) was chosen."""
        if self.is_bound and self.is_valid() and self.cleaned_data["reference"]:
            return str(self.cleaned_data["reference"])
        return DEFAULT_REFERENCE
