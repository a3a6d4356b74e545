"""Forms for the case page."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from stride.core.search_text import SearchTerms, parse_query
from stride.web.patients.models import StageChoices


class MoveCaseForm(forms.Form):
    """Move a case to another stage; which moves are legal is checked by core."""

    to_stage = forms.ChoiceField(label=_("Move to stage"), choices=StageChoices.choices)
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawConsentForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000)


class CaseSearchForm(forms.Form):
    """Find a case (sent with GET): a name in any script, a reference, an e-mail address,
    a telephone number or a date of birth typed in ``q``, or a date chosen in ``born_on``."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, help_text=_(
        "Part of a name in any script, a case reference, an e-mail address, a telephone "
        "number or a date of birth."))
    born_on = forms.DateField(label=_("Date of birth"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              error_messages={"invalid": _(
                                  "Enter the date of birth as a date, for example 2019-05-17.")})

    def searched(self) -> bool:
        """Whether something valid was typed or chosen (the page then shows a result)."""
        if not self.is_bound or not self.is_valid():
            return False
        return not self.terms().empty or self.birth_date() is not None

    def terms(self) -> SearchTerms:
        """What was typed, folded for the search (empty when the form is not valid)."""
        text = self.cleaned_data.get("q", "") if self.is_bound and self.is_valid() else ""
        return parse_query(text)

    def birth_date(self) -> date | None:
        """The date chosen, or the query itself read as a date (ISO or the local format)."""
        if not self.is_bound or not self.is_valid():
            return None
        chosen: date | None = self.cleaned_data.get("born_on")
        if chosen is not None:
            return chosen
        typed = self.cleaned_data.get("q", "").strip()
        if not typed or not any(character.isdigit() for character in typed):
            return None
        # Day first before the locale's own formats: Stride writes dates day first in every
        # language (never the US month-first order), so 05/06/2019 is 5 June.
        for pattern in _DAY_FIRST:
            try:
                return datetime.strptime(typed, pattern).date()
            except ValueError:
                continue
        try:
            parsed: date | None = forms.DateField().to_python(typed)
        except forms.ValidationError:
            return None
        return parsed


#: Numeric dates typed day first, tried before the locale's input formats.
_DAY_FIRST = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y", "%d.%m.%y")
