"""Cohort report and claims check as rows of translated, locale-formatted text.

Templates stay simple: every figure arrives here as a number from ``core`` and leaves as
text, with a suppressed figure shown as such (never as 0 or a blank).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stride.core.outcomes import CaseMixTable, GroupSummary
from stride.core.registry.claims import ArmFigures, ClaimCheck, HorizonCheck
from stride.core.registry.report import (
    SCPE_1980_96,
    ArmReport,
    CohortReport,
    HorizonReport,
    WindowCounts,
)
from stride.core.statistics import MeanCI, Proportion
from stride.web.outcomes.wording import (
    ARM_LABELS,
    SUBTYPE_CATEGORY_LABELS,
    TREATMENT_CHOICES,
    gmfcs_label,
    group_label,
    reason_text,
)
from stride.web.platform.numbers import fixed

DASH = "—"


def suppressed_text() -> str:
    """Return how a suppressed cell reads."""
    return _("fewer than 5 (suppressed)")


def points(value: float | None) -> str:
    """Return GMFM-66 points with one decimal and a sign (``+2.7``, ``-0.4``, ``0.0``)."""
    if value is None:
        return DASH
    text = fixed(value)
    # A positive value that rounds to 0.0 reads 0.0, not +0.0.
    return f"+{text}" if value > 0 and any(d in text for d in "123456789") else text


def count(value: int | None) -> str:
    """Return a count, or the suppressed text for ``None``."""
    return suppressed_text() if value is None else number_format(value)


def mean_with_ci(value: MeanCI | None) -> str:
    """Return "mean (low to high)" in points."""
    if value is None:
        return DASH
    return _("%(mean)s (%(low)s to %(high)s)") % {
        "mean": points(value.mean), "low": points(value.low), "high": points(value.high)}


def percent(value: float) -> str:
    """Return a share 0–1 as a percentage with one decimal."""
    return f"{fixed(100 * value)}%"


def share_with_ci(value: Proportion | None) -> str:
    """Return "k of n: p% (low% to high%)", or a dash."""
    if value is None:
        return DASH
    return _("%(k)s of %(n)s: %(share)s (%(low)s to %(high)s)") % {
        "k": number_format(value.successes), "n": number_format(value.n),
        "share": percent(value.share), "low": percent(value.low), "high": percent(value.high)}


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One row of a horizon's outcome table."""

    arm: str
    group: str
    suppressed: bool
    n: str
    mean_observed: str
    mean_expected: str
    mean_excess: str
    beyond: str
    undetermined: str


@dataclass(frozen=True, slots=True)
class CountRow:
    """One line of what happened to the windows, one cell per arm."""

    label: str
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HorizonView:
    """One horizon of the report, ready to render."""

    months: int
    arms: tuple[str, ...]
    rows: tuple[GroupRow, ...]
    counts: tuple[CountRow, ...]


def _group_row(report: CohortReport, arm: ArmReport, group: GroupSummary) -> GroupRow:
    label = group_label(report.group_by, group.group)
    if group.suppressed:
        return GroupRow(str(ARM_LABELS[arm.arm]), label, True, suppressed_text(), DASH, DASH,
                        DASH, DASH, DASH)
    return GroupRow(
        arm=str(ARM_LABELS[arm.arm]),
        group=label,
        suppressed=False,
        n=count(group.n),
        mean_observed=points(group.mean_observed),
        mean_expected=points(group.mean_expected),
        mean_excess=mean_with_ci(group.mean_excess),
        beyond=share_with_ci(group.beyond) if group.beyond else _(
            "fewer than 5 with a measurement error (suppressed)"),
        undetermined=count(group.n_undetermined),
    )


#: The lines of "where the windows went", in the order of :class:`WindowCounts`.
_COUNT_KEYS = ("windows", "no_baseline", "no_follow_up", "not_comparable",
               "beyond_reference_ages", "analysed")


def _count_label(key: str) -> str:
    labels = {
        "windows": _("Treatments (or first evaluations) in the selection"),
        "no_baseline": _("No baseline GMFM-66 within 6 months before"),
        "no_follow_up": _("No follow-up GMFM-66 in this window"),
        "not_comparable": _("Not comparable: no GMFCS level at baseline"),
        "beyond_reference_ages": _("Beyond the ages of the reference curves"),
        "analysed": _("Analysed (both scores and a GMFCS level)"),
    }
    return labels[key]


def _horizon_view(report: CohortReport, horizon: HorizonReport) -> HorizonView:
    counts: list[WindowCounts] = [arm.counts for arm in horizon.arms]
    return HorizonView(
        months=horizon.horizon_months,
        arms=tuple(str(ARM_LABELS[arm.arm]) for arm in horizon.arms),
        rows=tuple(_group_row(report, arm, group) for arm in horizon.arms
                   for group in arm.groups),
        counts=tuple(CountRow(_count_label(key), tuple(count(getattr(c, key)) for c in counts))
                     for key in _COUNT_KEYS),
    )


@dataclass(frozen=True, slots=True)
class MixRow:
    """One row of a case-mix table; ``published`` only for the subtype table."""

    label: str
    count: str
    percent: str
    published: str


def _mix_rows(table: CaseMixTable, *, subtypes: bool) -> tuple[MixRow, ...]:
    rows = []
    for row in table.rows:
        label = (str(SUBTYPE_CATEGORY_LABELS[row.category]) if subtypes
                 else gmfcs_label(row.category))
        published = DASH
        if subtypes:
            share = SCPE_1980_96.percent_of(row.category)
            published = (f"{fixed(share)}%" if share is not None
                         else _("not published"))
        rows.append(MixRow(
            label=label,
            count=count(row.count),
            percent=(DASH if row.percent is None
                     else f"{fixed(row.percent, 2)}%"),
            published=published,
        ))
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class ReportView:
    """The whole report, ready to render."""

    n_children: str
    reference: str
    horizons: tuple[HorizonView, ...]
    gmfcs_mix: tuple[MixRow, ...]
    subtype_mix: tuple[MixRow, ...]
    mix_total: str


def report_view(report: CohortReport) -> ReportView:
    """Return ``report`` as text rows (an empty report gives empty tables)."""
    return ReportView(
        n_children=number_format(report.n_children),
        reference=report.reference,
        horizons=tuple(_horizon_view(report, h) for h in report.horizons),
        gmfcs_mix=() if report.gmfcs_mix is None else _mix_rows(report.gmfcs_mix,
                                                                   subtypes=False),
        subtype_mix=() if report.subtype_mix is None else _mix_rows(report.subtype_mix,
                                                                       subtypes=True),
        mix_total=DASH if report.gmfcs_mix is None else number_format(report.gmfcs_mix.total),
    )


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True, slots=True)
class ClaimHorizonView:
    """One horizon of a claims check: figure rows with the treated and comparison cells."""

    months: int
    rows: tuple[CountRow, ...]


def _arm_cells(arm: ArmFigures) -> dict[str, str]:
    if arm.suppressed:
        text = suppressed_text() if arm.n is None else _("no child")
        return dict.fromkeys(("n", "any", "gain", "excess", "observed", "expected",
                              "mean_excess"), text)
    return {
        "n": count(arm.n),
        "any": share_with_ci(arm.any_gain),
        "gain": share_with_ci(arm.gain_beyond_error),
        "excess": share_with_ci(arm.excess_beyond_error),
        "observed": points(arm.mean_observed),
        "expected": points(arm.mean_expected),
        "mean_excess": mean_with_ci(arm.mean_excess),
    }


def _claim_horizon(horizon: HorizonCheck) -> ClaimHorizonView:
    treated, comparison = _arm_cells(horizon.treated), _arm_cells(horizon.comparison)
    labels = (
        ("n", _("Children analysed")),
        ("any", _("Rose at all (what a bare \"improved\" counts)")),
        ("gain", _("Rose by more than the measurement error")),
        ("excess", _("Gained more than expected, beyond the measurement error")),
        ("observed", _("Mean observed change, GMFM-66 points")),
        ("expected", _("Mean expected change (reference curves), GMFM-66 points")),
        ("mean_excess", _("Mean excess over expected (95% CI), GMFM-66 points")),
    )
    return ClaimHorizonView(horizon.horizon_months, tuple(
        CountRow(label, (treated[key], comparison[key])) for key, label in labels))


@dataclass(frozen=True, slots=True)
class ClaimView:
    """A claims check, ready to render."""

    claimed: str
    treatment: str
    time_frame: str
    reference: str
    reasons: tuple[str, ...]
    horizons: tuple[ClaimHorizonView, ...]


def claim_view(check: ClaimCheck) -> ClaimView:
    """Return ``check`` as text."""
    claim = check.claim
    low, high = (fixed(v) for v in (claim.low_percent, claim.high_percent))
    treatment = (str(dict(TREATMENT_CHOICES)[claim.treatment]) if claim.treatment
                 else _("every treatment (none named)"))
    time_frame = (_("%(months)s months") % {"months": claim.horizon_months}
                  if claim.horizon_months else _("none named"))
    return ClaimView(
        claimed=f"{low}%" if low == high else f"{low}% – {high}%",
        treatment=treatment,
        time_frame=time_frame,
        reference=check.reference,
        reasons=tuple(reason_text(r) for r in check.reasons),
        horizons=tuple(_claim_horizon(h) for h in check.horizons),
    )
