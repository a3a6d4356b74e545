"""Follow-up in the reader's language: a translated twin of core's FMS rating labels, the
answers to the seizure question, and the family's report as rows a clinician reads.

Core names each FMS rating (:data:`stride.core.scales.fms.RATING_LABELS`, English); here
every rating has its label marked for translation. A test checks that every rating of core
has an entry here, so a new rating cannot reach a family untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from stride.core.errors import InvalidValue
from stride.core.followup.answers import (
    FMS_CHANGE_CITATION,
    FMS_SMALLEST_IMPORTANT_CHANGE,
    Direction,
    FmsChange,
    SeizureAnswer,
    UrgentReason,
    fms_trend,
    seizure_answer,
)
from stride.core.scales.fms import FmsRating, FunctionalMobility

_R = FmsRating

#: The translatable label of every FMS rating (Graham et al. 2004), for families and staff.
FMS_RATING_WORDS: Final[Mapping[FmsRating, Promise]] = MappingProxyType({
    _R.WHEELCHAIR: _("uses a wheelchair"),
    _R.WALKER: _("uses a walker or frame"),
    _R.CRUTCHES: _("uses crutches"),
    _R.STICKS: _("uses sticks"),
    _R.INDEPENDENT_LEVEL: _("walks on their own on level surfaces"),
    _R.INDEPENDENT_ALL: _("walks on their own on all surfaces"),
    _R.CRAWLING: _("crawls"),
    _R.NOT_APPLICABLE: _("does not apply (does not cover the distance)"),
})

#: The family's answers to the seizure question.
SEIZURE_WORDS: Final[Mapping[SeizureAnswer, Promise]] = MappingProxyType({
    SeizureAnswer.NO: _("No"),
    SeizureAnswer.YES: _("Yes"),
    SeizureAnswer.NOT_SURE: _("Not sure"),
})

#: What the urgent flag on a visit says, by reason.
URGENT_WORDS: Final[Mapping[UrgentReason, Promise]] = MappingProxyType({
    UrgentReason.SEIZURE: _("Urgent: the family reported a seizure since the last visit."),
    UrgentReason.ADVERSE_EVENT: _("Urgent: the family reported a problem (see “Anything "
                                  "that went wrong”)."),
})


def fms_choice(rating: FmsRating) -> str | Promise:
    """Return the option text of a rating: its code and its label, e.g. "4 · uses sticks"."""
    return format_lazy("{} · {}", rating.value, FMS_RATING_WORDS[rating])


def fms_choices() -> list[tuple[str, object]]:
    """Return the form's choices of an FMS rating (an empty first choice, then each)."""
    return [("", "—")] + [(r.value, fms_choice(r)) for r in FmsRating]


@dataclass(frozen=True)
class ReportRow:
    """One measure of the family's report: its name, the previous answer, this answer and
    the change, each already in words."""

    measure: str
    previous: str
    current: str
    change: str
    important: bool = False


def _rating(rating: FmsRating | None) -> str:
    return str(fms_choice(rating)) if rating is not None else "—"


def _fms_change(change: FmsChange) -> str:
    if change.direction is Direction.FIRST:
        return _g("first answer")
    if change.direction is Direction.NOT_COMPARABLE:
        return _g("changed (crawling or “does not apply” is not a level)")
    if change.direction is Direction.SAME or change.change is None:
        return _g("no change")
    words = {"levels": f"{change.change:+d}",
             "smallest": number_format(FMS_SMALLEST_IMPORTANT_CHANGE, 1),
             "source": FMS_CHANGE_CITATION.short}
    if change.direction is Direction.BETTER:
        return _g("%(levels)s level(s), more independent; beyond the smallest important change "
                  "of %(smallest)s levels (%(source)s)") % words
    return _g("%(levels)s level(s), less independent; beyond the smallest important change "
              "of %(smallest)s levels (%(source)s)") % words


def _fms(report: Mapping[str, object] | None) -> FunctionalMobility | None:
    fms = (report or {}).get("fms")
    if not isinstance(fms, Mapping):
        return None
    try:
        return FunctionalMobility.from_json(fms)
    except InvalidValue:
        return None


def _falls(report: Mapping[str, object] | None) -> int | None:
    falls = (report or {}).get("falls_per_week")
    return falls if isinstance(falls, int) and not isinstance(falls, bool) else None


def _seizures(report: Mapping[str, object] | None) -> str:
    answer = seizure_answer(report)
    return str(SEIZURE_WORDS[answer]) if answer is not None else "—"


def _text(report: Mapping[str, object] | None, key: str) -> str:
    return str((report or {}).get(key) or "").strip() or "—"


def report_rows(report: Mapping[str, object],
                previous: Mapping[str, object] | None) -> list[ReportRow]:
    """Return the family's answers as rows in the current language, each beside the answer
    of their previous report (``None``: this is the first)."""
    rows = []
    now, before = _fms(report), _fms(previous)
    if now is not None:
        for change in fms_trend(before, now):
            rows.append(ReportRow(
                _g("FMS %(distance)s m") % {"distance": change.distance_m},
                _rating(change.previous), _rating(change.current), _fms_change(change),
                bool(change.important)))
    falls_now, falls_before = _falls(report), _falls(previous)
    if falls_now is None:
        falls_change = "—"
    elif falls_before is None:
        falls_change = _g("first answer")
    else:
        falls_change = f"{falls_now - falls_before:+d}" if falls_now != falls_before \
            else _g("no change")
    rows.append(ReportRow(_g("Falls in a usual week"),
                          "—" if falls_before is None else str(falls_before),
                          "—" if falls_now is None else str(falls_now), falls_change))
    rows.append(ReportRow(_g("Seizures since the last visit"),
                          _seizures(previous) if previous is not None else "—",
                          _seizures(report), ""))
    rows.append(ReportRow(_g("New treatments"), "", _text(report, "new_treatments"), ""))
    rows.append(ReportRow(_g("Anything that went wrong or worried the family"), "",
                          _text(report, "adverse_events"), ""))
    return rows


_OFFSET = re.compile(r"^(?:(?P<months>\d+)m)?\+?(?:(?P<days>\d+)d)?$")
_AGE = re.compile(r"^(?:hip-xray-)?age-(?P<years>\d+)$")


def _template_name(template: str) -> str:
    if template == "after-sdr":
        return _g("After SDR")
    if template.startswith("trial-protocol:"):
        return _g("Trial protocol %(trial)s") % {"trial": template.partition(":")[2]}
    if template == "routine-yearly-under-6":
        return _g("Routine yearly visit")
    if template == "cpup-hip-2015":
        return _g("Hip X-ray (CPUP hip surveillance)")
    return template


def _offset_words(label: str) -> str:
    age = _AGE.match(label)
    if age:
        years = int(age["years"])
        return ngettext("at %(years)s year of age", "at %(years)s years of age",
                        years) % {"years": years}
    offset = _OFFSET.match(label)
    if not offset or not (offset["months"] or offset["days"]):
        return label
    parts = []
    if offset["months"]:
        months = int(offset["months"])
        parts.append(ngettext("%(n)s month", "%(n)s months", months) % {"n": months})
    if offset["days"]:
        days = int(offset["days"])
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    return " ".join(parts)


def visit_name(template: str, label: str) -> str:
    """Return a visit's name in words, e.g. "After SDR · 3 months" for ``after-sdr`` ``3m``
    (a template or label this build does not know is shown as stored)."""
    return f"{_template_name(template)} · {_offset_words(label)}"
