"""Reads for the child outcome page: the child's own measures, treatments and windows.

Callers have already been granted the child by
:func:`stride.web.patients.access.access_patient_by_id`. The outcome arithmetic is core's
(:mod:`stride.core.registry.child_outcomes`) and the drawing the charts module's
(:mod:`stride.web.outcomes.charts`); this module loads the rows, turns dates into ages and
gives them the translated words.

Only records that can be true are charted: an assessment or episode marked entered in
error, or dated before the child's birth or after today (stored before dates were
checked), is left out and listed in the page's note instead, so one bad row never breaks
the page and nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stride.core.anatomy import Side
from stride.core.natural_history.model import ReferenceSet
from stride.core.registry.child_outcomes import WindowResult, WindowScores, window_results
from stride.core.scales.common import AgeAtAssessment, Level
from stride.core.scales.instruments import Instrument
from stride.core.scales.mas import MasGrade
from stride.core.treatment.episodes import (
    EpisodeKind,
    happened_problems,
    stored_date_problems,
)
from stride.core.treatment.problems import Problem
from stride.web.evaluation.models import Assessment, InstrumentChoices
from stride.web.outcomes.charts import (
    ChartText,
    Event,
    MasReading,
    ScorePoint,
    gmfm66_chart,
    gmfm88_chart,
    mas_chart,
    render_svg,
)
from stride.web.patients.models import Patient
from stride.web.platform.messages import problem_message
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.treatment.models import Episode, EpisodeKindChoices


def age_years(date_of_birth: date, on: date) -> float:
    """Return the age in fractional years (days ÷ 365.25) on ``on``, as the curves take it."""
    return AgeAtAssessment(date_of_birth=date_of_birth, assessed_on=on).years


@dataclass(frozen=True)
class ScoreRow:
    """A dated score for the page's tables (the chart's numbers in words)."""

    assessed_on: date
    age_years: float
    score: float
    ci_half_width: float | None


@dataclass(frozen=True)
class TreatmentOutcome:
    """One treatment episode (``None``: the untreated comparison anchor) and its windows."""

    episode: Episode | None
    kind_label: str
    age_years: float
    windows: tuple[WindowResult, ...]


@dataclass(frozen=True)
class LeftOutRow:
    """A record of the child left out of the page, and why (in words).

    ``what`` is ``"episode"`` or ``"assessment"``; ``reason`` is the care team's written
    reason when the record was marked entered in error (empty otherwise: its dates cannot
    be true, and it waits to be corrected).
    """

    what: str
    pk: int
    label: str
    on: date
    why: str
    entered_in_error: bool
    reason: str


@dataclass(frozen=True)
class ChildOutcomePage:
    """Everything the child outcome page shows."""

    patient: Patient
    reference: ReferenceSet
    gmfcs: Level | None
    gmfcs_assessed_on: date | None
    gmfm66: tuple[ScoreRow, ...]
    gmfm88: tuple[ScoreRow, ...]
    gmfm66_svg: SafeString | None
    gmfm88_svg: SafeString | None
    mas_svg: SafeString | None
    treatments: tuple[TreatmentOutcome, ...]
    #: False while the registry has no row for the child yet (windows not derived).
    in_registry: bool
    #: Records left out: entered in error, or dated where they cannot be true.
    left_out: tuple[LeftOutRow, ...] = ()


def _kind_label(kind: str) -> str:
    return str(EpisodeKindChoices(kind).label) if kind in EpisodeKindChoices.values else kind


def _level_label(level: Level, own: bool) -> str:
    if own:
        return _("GMFCS %(level)s: expected curve for this child's level") % {"level": level.name}
    return _("GMFCS %(level)s: expected curve") % {"level": level.name}


def _mas_label(muscle: str, side: str) -> str:
    sides = {Side.LEFT.value: _("left"), Side.RIGHT.value: _("right")}
    return f"{muscle.replace('-', ' ')} · {sides.get(side, side)}"


def _scores(assessments: list[Assessment], instrument: Instrument,
            date_of_birth: date) -> tuple[ScoreRow, ...]:
    rows = []
    for a in assessments:
        if a.instrument == instrument.value and a.headline is not None:
            half = a.derived.get("ci_half_width") if isinstance(a.derived, dict) else None
            rows.append(ScoreRow(a.assessed_on, age_years(date_of_birth, a.assessed_on),
                                 float(a.headline),
                                 float(half) if isinstance(half, int | float) else None))
    return tuple(sorted(rows, key=lambda r: r.assessed_on))


def _mas_readings(assessments: list[Assessment], date_of_birth: date) -> list[MasReading]:
    readings = []
    for a in assessments:
        if a.instrument != Instrument.MAS.value:
            continue
        age = age_years(date_of_birth, a.assessed_on)
        for row in a.data.get("measurements", []):
            if row.get("grade") in MasGrade._value2member_map_:
                readings.append(MasReading(age, str(row["muscle"]), str(row["side"]),
                                           MasGrade(row["grade"])))
    return readings


def _window_scores(window: OutcomeWindow) -> WindowScores:
    return WindowScores(
        horizon_months=window.horizon_months, gmfcs=window.gmfcs,
        baseline_age_years=window.baseline_age_years, baseline_score=window.baseline_score,
        baseline_ci_half_width=window.baseline_ci_half_width,
        follow_up_age_years=window.follow_up_age_years, follow_up_score=window.follow_up_score,
        follow_up_ci_half_width=window.follow_up_ci_half_width,
    )


def _treatments(patient: Patient, episodes: list[Episode],
                reference: ReferenceSet) -> tuple[TreatmentOutcome, ...]:
    # Windows of the charted episodes and the untreated anchor only: windows a registry
    # derived earlier from an episode now left out are not shown (the next refresh drops
    # them).
    charted = {e.pk for e in episodes}
    by_anchor: dict[int | None, list[OutcomeWindow]] = {}
    for window in OutcomeWindow.objects.filter(child__patient=patient).order_by(
            "anchor_age_years", "horizon_months"):
        if window.episode_id is None or window.episode_id in charted:
            by_anchor.setdefault(window.episode_id, []).append(window)

    def outcome(episode: Episode | None, label: str, age: float) -> TreatmentOutcome:
        mine = by_anchor.get(None if episode is None else episode.pk, [])
        results = window_results([_window_scores(w) for w in mine], reference)
        return TreatmentOutcome(episode=episode, kind_label=label, age_years=age,
                                windows=results)

    treatments = [outcome(e, _kind_label(e.kind), age_years(patient.date_of_birth, e.starts_on))
                  for e in episodes]
    untreated = by_anchor.get(None)
    if untreated:
        # A child never treated is the registry's comparison group: anchored at the first
        # GMFM-66, shown so the family and team see the same figures the cohort uses.
        treatments.append(outcome(None, _("No treatment: change from the first GMFM-66"),
                                  untreated[0].anchor_age_years))
    return tuple(treatments)


def _svg(markup: str) -> SafeString:
    # Safe: core builds the SVG from numbers and escaped text only.
    return mark_safe(markup)  # noqa: S308


def _instrument_label(code: str) -> str:
    return str(InstrumentChoices(code).label) if code in InstrumentChoices.values else code


def _why(problems: tuple[Problem, ...] | list[Problem]) -> str:
    return " ".join(dict.fromkeys(problem_message(p) for p in problems))


def _left_out_episodes(patient: Patient, today: date) -> list[LeftOutRow]:
    rows = []
    for e in (Episode.objects.filter(case__patient=patient)
              .select_related("entered_in_error").order_by("starts_on", "id")):
        correction = e.correction
        problems = stored_date_problems(date_of_birth=patient.date_of_birth, today=today,
                                        starts_on=e.starts_on, ends_on=e.ends_on)
        if correction is None and not problems:
            continue
        rows.append(LeftOutRow(
            what="episode", pk=e.pk, label=_kind_label(e.kind), on=e.starts_on,
            why=_("Entered in error.") if correction is not None else _why(problems),
            entered_in_error=correction is not None,
            reason="" if correction is None else correction.reason))
    return rows


def child_outcome_page(patient: Patient, reference: ReferenceSet, *,
                       today: date | None = None) -> ChildOutcomePage:
    """Return the child's charts, measures and per-treatment outcomes (a few queries).

    Assessments and episodes entered in error, or dated before birth or after ``today``
    (default: the site's local date), are left out of the charts and outcomes and listed
    in :attr:`ChildOutcomePage.left_out`.
    """
    dob = patient.date_of_birth
    today = today or timezone.localdate()
    stored = list(Assessment.objects.filter(
        case__patient=patient,
        instrument__in=[Instrument.GMFM66.value, Instrument.GMFM88.value,
                        Instrument.GMFCS.value, Instrument.MAS.value],
    ).select_related("entered_in_error").order_by("assessed_on", "id"))
    assessments, left_out = [], _left_out_episodes(patient, today)
    for a in stored:
        correction = a.correction
        problems = happened_problems("assessed_on", a.assessed_on, date_of_birth=dob,
                                     today=today)
        if correction is None and not problems:
            assessments.append(a)
            continue
        left_out.append(LeftOutRow(
            what="assessment", pk=a.pk, label=_instrument_label(a.instrument),
            on=a.assessed_on,
            why=_("Entered in error.") if correction is not None else _why(problems),
            entered_in_error=correction is not None,
            reason="" if correction is None else correction.reason))
    episodes = list(Episode.objects.usable(today).filter(case__patient=patient)
                    .exclude(kind=EpisodeKind.ADMISSION.value).order_by("starts_on", "id"))
    levels = [a for a in assessments
              if a.instrument == Instrument.GMFCS.value and a.headline is not None]
    latest = levels[-1] if levels else None
    gmfcs = Level(int(latest.headline)) if latest is not None and latest.headline else None
    gmfm66 = _scores(assessments, Instrument.GMFM66, dob)
    gmfm88 = _scores(assessments, Instrument.GMFM88, dob)
    readings = _mas_readings(assessments, dob)
    events = [Event(age_years(dob, e.starts_on), _kind_label(e.kind)) for e in episodes]
    age_label, treatment_label = _("Age (years)"), _("Treatment")

    gmfm66_svg = gmfm88_svg = mas_svg = None
    if gmfm66 or events:
        gmfm66_svg = _svg(render_svg(gmfm66_chart(
            chart_id="chart-gmfm66",
            points=[ScorePoint(r.age_years, r.score, r.ci_half_width) for r in gmfm66],
            treatments=events, gmfcs=None if gmfcs is None else int(gmfcs),
            reference=reference, level_label=_level_label,
            text=ChartText(
                title=_("GMFM-66 over age against the expected curves (%(reference)s)")
                % {"reference": reference.citation.short},
                description=_("%(count)s GMFM-66 scores with their 95%% confidence intervals, "
                              "the expected curve of each GMFCS level and %(treatments)s "
                              "treatments. The same numbers are in the table below the chart.")
                % {"count": len(gmfm66), "treatments": len(events)},
                x_label=age_label, y_label=_("GMFM-66 score (points)"),
                # xgettext:no-python-format
                observed_label=_("This child's GMFM-66 (bars: 95% confidence interval)"),
                events_label=treatment_label,
            ),
        )))
    if gmfm88:
        gmfm88_svg = _svg(render_svg(gmfm88_chart(
            chart_id="chart-gmfm88",
            points=[ScorePoint(r.age_years, r.score) for r in gmfm88], treatments=events,
            text=ChartText(
                title=_("GMFM-88 total over age"),
                description=_("%(count)s GMFM-88 totals. There are no GMFM-88 reference "
                              "curves, so no expected curve is drawn.") % {"count": len(gmfm88)},
                x_label=age_label, y_label=_("GMFM-88 total (%)"),
                observed_label=_("This child's GMFM-88 total"), events_label=treatment_label,
            ),
        )))
    if readings:
        mas_svg = _svg(render_svg(mas_chart(
            chart_id="chart-mas", readings=readings, treatments=events,
            series_label=_mas_label,
            text=ChartText(
                title=_("Modified Ashworth Scale over age"),
                description=_("Modified Ashworth grades (ordinal: 0, 1, 1+, 2, 3, 4) of each "
                              "muscle group and side over age."),
                x_label=age_label, y_label=_("MAS grade"), observed_label="",
                events_label=treatment_label,
            ),
        )))
    return ChildOutcomePage(
        patient=patient, reference=reference, gmfcs=gmfcs,
        gmfcs_assessed_on=latest.assessed_on if latest is not None else None,
        gmfm66=gmfm66, gmfm88=gmfm88,
        gmfm66_svg=gmfm66_svg, gmfm88_svg=gmfm88_svg, mas_svg=mas_svg,
        treatments=_treatments(patient, episodes, reference),
        in_registry=RegistryChild.objects.filter(patient=patient).exists(),
        left_out=tuple(left_out),
    )
