"""The stored publication as rows of translated, locale-formatted text.

Every figure arrives as a number from the snapshot's JSON (built by core when published)
and leaves as words with units; a hidden cell reads as hidden, never as 0 or a blank.
Percentages are the ones stored at publication, always with their denominator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stride.core.errors import StrideError
from stride.core.natural_history.catalogue import get_reference
from stride.core.registry.publication import (
    FOLLOWED,
    LOST_AFTER,
    LOST_NONE,
    TOO_RECENT,
)
from stride.core.registry.report import SCPE_1980_96
from stride.core.registry.suppression import CMS_CELL_SIZE, CellState
from stride.web.outcomes.presentation import points
from stride.web.outcomes.wording import SUBTYPE_CATEGORY_LABELS, TREATMENT_CHOICES, gmfcs_label
from stride.web.platform.numbers import fixed
from stride.web.publication.models import PublishedOutcomes

#: The horizon shown open first (the others are one click away).
MAIN_HORIZON = 12


def hidden_text(state: str, threshold: int) -> str:
    """Return how a hidden cell reads: small (primary) or hidden to protect one (complement)."""
    if state == CellState.PRIMARY.value:
        return _("fewer than %(threshold)s children — not shown") % {"threshold": threshold}
    return _("not shown to protect small groups")


def treatment_label(code: str) -> str:
    """Return the treatment's name (cell therapy says it is investigational)."""
    return str(dict(TREATMENT_CHOICES).get(code, _("Other treatment")))


def level_label(level: int) -> str:
    """Return "GMFCS level N"."""
    return gmfcs_label(str(level))


def count_text(value: int) -> str:
    """Return a count in the reader's digits, thousands grouped (9,128)."""
    return number_format(value, force_grouping=True)


def _percent(value: float, places: int = 1) -> str:
    return _("%(value)s%%") % {"value": fixed(value, places)}


def mean_text(value: Mapping[str, float] | None) -> str:
    """Return "+2.7 points (95% interval +1.9 to +3.5)", or the mean alone without one."""
    if not value:
        return _("no figure")
    if "low" not in value:
        return _("%(mean)s points") % {"mean": points(value["mean"])}
    return _("%(mean)s points (95%% interval %(low)s to %(high)s)") % {
        "mean": points(value["mean"]), "low": points(value["low"]),
        "high": points(value["high"])}


def share_text(share: Mapping[str, Any] | None, threshold: int) -> str:
    """Return "x of n (y%; 95% interval a% to b%)", or why it is not shown."""
    if not share:
        return _("no figure")
    if share["state"] == CellState.PRIMARY.value:
        return _("not shown: fewer than %(threshold)s children gained beyond the measurement "
                 "error, or fewer than %(threshold)s did not") % {"threshold": threshold}
    if share["state"] != CellState.SHOWN.value:
        return hidden_text(share["state"], threshold)
    if not share["n"]:
        return _("no measurement error recorded for these children")
    text = _("%(k)s of %(n)s (%(share)s; 95%% interval %(low)s to %(high)s)") % {
        "k": count_text(share["k"]), "n": count_text(share["n"]),
        "share": _percent(100 * share["share"]), "low": _percent(100 * share["low"]),
        "high": _percent(100 * share["high"])}
    if share.get("undetermined"):
        text += " " + _("(%(count)s more without a measurement error, not counted)") % {
            "count": count_text(share["undetermined"])}
    return text


@dataclass(frozen=True, slots=True)
class CellRow:
    """One GMFCS level (or all levels) of one treatment at one horizon."""

    label: str
    hidden: str
    n: str
    observed: str
    expected: str
    difference: str
    share: str
    total: bool


def _cell_row(label: str, cell: Mapping[str, Any], threshold: int, *, total: bool) -> CellRow:
    if cell["state"] != CellState.SHOWN.value:
        return CellRow(label, hidden_text(cell["state"], threshold), "", "", "", "", "", total)
    if not cell["n"]:
        return CellRow(label, "", _("no child"), "", "", "", "", total)
    return CellRow(
        label=label, hidden="", n=count_text(cell["n"]),
        observed=mean_text(cell.get("observed")), expected=mean_text(cell.get("expected")),
        difference=mean_text(cell.get("excess")),
        share=share_text(cell.get("share"), threshold), total=total)


@dataclass(frozen=True, slots=True)
class TreatmentBlock:
    """One treatment (or all of them) at one horizon: a row per GMFCS level and the total."""

    key: str
    label: str
    investigational: bool
    rows: tuple[CellRow, ...]


@dataclass(frozen=True, slots=True)
class HorizonView:
    """One horizon of the page."""

    months: int
    open: bool
    blocks: tuple[TreatmentBlock, ...]


def _block(key: str, label: str, row: Mapping[str, Any], levels: list[int],
           threshold: int) -> TreatmentBlock:
    rows = [_cell_row(level_label(level), cell, threshold, total=False)
            for level, cell in zip(levels, row["cells"], strict=True)]
    rows.append(_cell_row(_("All GMFCS levels"), row["total"], threshold, total=True))
    return TreatmentBlock(key, label, key == "cell-therapy", tuple(rows))


def _horizon(table: Mapping[str, Any], levels: list[int], threshold: int) -> HorizonView:
    blocks = [_block(row["treatment"], treatment_label(row["treatment"]), row, levels, threshold)
              for row in table["rows"]]
    blocks.append(_block("all", _("All treatments together"), table["totals"], levels,
                         threshold))
    return HorizonView(table["months"], table["months"] == MAIN_HORIZON, tuple(blocks))


# --------------------------------------------------------------------------- completeness


def category_label(code: str, months: int) -> str:
    """Return the heading of a completeness column."""
    if code == FOLLOWED:
        return ngettext("Followed up at %(months)s month", "Followed up at %(months)s months",
                        months) % {"months": months}
    if code == LOST_NONE:
        return _("Lost: no follow-up since treatment")
    if code == LOST_AFTER[6]:
        return _("Lost: last seen at the 6-month follow-up")
    if code == LOST_AFTER[12]:
        return _("Lost: last seen at the 12-month follow-up")
    if code == TOO_RECENT:
        return _("Treated too recently to tell")
    return _("Other")


@dataclass(frozen=True, slots=True)
class CompletenessRow:
    """One treatment's line of the completeness table, and its sentence when all is shown."""

    label: str
    cells: tuple[str, ...]
    total: str
    sentence: str


@dataclass(frozen=True, slots=True)
class CompletenessView:
    """Follow-up completeness at one horizon."""

    months: int
    headings: tuple[str, ...]
    rows: tuple[CompletenessRow, ...]


def _completeness_sentence(months: int, categories: list[str], counts: list[int | None],
                           total: int | None) -> str:
    if total is None or any(c is None for c in counts):
        return _("Some of these numbers are not shown to protect small groups.")
    by = dict(zip(categories, counts, strict=True))
    followed, recent = by[FOLLOWED] or 0, by[TOO_RECENT] or 0
    due = total - recent
    lost = due - followed
    parts = [ngettext("Followed up at %(months)s month: %(a)s of %(b)s.",
                      "Followed up at %(months)s months: %(a)s of %(b)s.", months) % {
        "months": months, "a": count_text(followed), "b": count_text(due)}]
    if lost:
        parts.append(_("Lost to follow-up: %(c)s, of whom %(d)s had no follow-up after "
                       "treatment.") % {"c": count_text(lost),
                                        "d": count_text(by[LOST_NONE] or 0)})
        for earlier, code in LOST_AFTER.items():
            if by.get(code):
                parts.append(_("%(count)s were last seen at the %(months)s-month "
                               "follow-up.") % {"count": count_text(by[code] or 0),
                                                "months": earlier})
    else:
        parts.append(_("No treatment was lost to follow-up."))
    if recent:
        parts.append(_("%(count)s treated too recently to tell.") % {
            "count": count_text(recent)})
    return " ".join(parts)


def _completeness(table: Mapping[str, Any], threshold: int) -> CompletenessView:
    months = table["months"]
    categories = table["categories"]

    def row(label: str, line: Mapping[str, Any]) -> CompletenessRow:
        cells = tuple(count_text(c) if c is not None else hidden_text(s, threshold)
                      for c, s in zip(line["counts"], line["states"], strict=True))
        total = (count_text(line["total"]) if line["total"] is not None
                 else hidden_text(line["total_state"], threshold))
        return CompletenessRow(label, cells, total, _completeness_sentence(
            months, categories, line["counts"], line["total"]))

    rows = [row(treatment_label(r["treatment"]), r) for r in table["rows"]]
    rows.append(row(_("All treatments together"), table["totals"]))
    return CompletenessView(months, tuple(category_label(c, months) for c in categories),
                            tuple(rows))


# --------------------------------------------------------------------------- case mix


@dataclass(frozen=True, slots=True)
class MixRow:
    """One category of a case-mix table."""

    label: str
    value: str
    published: str


def _mix(table: Mapping[str, Any], threshold: int, *, subtypes: bool) -> tuple[MixRow, ...]:
    rows = []
    total = table["total"]
    for row in table["rows"]:
        if row["count"] is None:
            value = hidden_text(row["state"], threshold)
        elif total is None:
            value = count_text(row["count"])
        else:
            value = _("%(count)s of %(total)s (%(percent)s)") % {
                "count": count_text(row["count"]), "total": count_text(total),
                "percent": _percent(row["percent"], 2)}
        published = ""
        if subtypes:
            share = row.get("published_percent")
            published = (_("%(percent)s of %(n)s children") % {
                "percent": _percent(share), "n": count_text(SCPE_1980_96.n)}
                if share is not None else _("not published"))
        label = (str(SUBTYPE_CATEGORY_LABELS.get(row["category"], _("Other")))
                 if subtypes else gmfcs_label(row["category"]))
        rows.append(MixRow(label, value, published))
    return tuple(rows)


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True, slots=True)
class PageView:
    """The whole published page."""

    snapshot: PublishedOutcomes
    empty: bool
    threshold: int
    largest_small: int
    horizons: tuple[HorizonView, ...]
    completeness: tuple[CompletenessView, ...]
    gmfcs_mix: tuple[MixRow, ...]
    subtype_mix: tuple[MixRow, ...]
    mix_total: str
    reference_citation: str
    measurement_error_citation: str
    suppression_citation: str
    scpe_citation: str


def _reference_citation(key: str) -> str:
    try:
        return get_reference(key).citation.full
    except StrideError:
        # A reference this version no longer knows: say so, never show its stored key.
        return _("not recorded")


def page_view(snapshot: PublishedOutcomes) -> PageView:
    """Return the stored snapshot as text."""
    figures: Mapping[str, Any] = snapshot.figures
    threshold = int(figures.get("suppression", {}).get("threshold", CMS_CELL_SIZE.threshold))
    levels = list(figures.get("levels", []))
    mix = figures.get("case_mix")
    mix_total = ""
    if mix is not None:
        total = mix["gmfcs"]["total"]
        mix_total = (count_text(total) if total is not None
                     else hidden_text(mix["gmfcs"]["total_state"], threshold))
    return PageView(
        snapshot=snapshot,
        empty=not figures.get("treatments"),
        threshold=threshold,
        largest_small=threshold - 1,
        horizons=tuple(_horizon(t, levels, threshold) for t in figures.get("outcomes", [])),
        completeness=tuple(_completeness(t, threshold)
                           for t in figures.get("completeness", [])),
        gmfcs_mix=() if mix is None else _mix(mix["gmfcs"], threshold, subtypes=False),
        subtype_mix=() if mix is None else _mix(mix["subtype"], threshold, subtypes=True),
        mix_total=mix_total,
        reference_citation=_reference_citation(snapshot.reference),
        measurement_error_citation=_(
            # xgettext:no-python-format
            "the 95% confidence intervals of the two GMFM-66 scores, as the Gross Motor "
            "Ability Estimator (GMAE, CanChild) gives them, combined as for a difference of "
            "two measurements"),
        suppression_citation=CMS_CELL_SIZE.citation.full,
        # The short form: its shares are in the table, each with its denominator.
        scpe_citation=SCPE_1980_96.citation.short,
    )
