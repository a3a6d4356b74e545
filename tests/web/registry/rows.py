"""Synthetic rows for registry tests: assessments, episodes and derived windows made directly.

The child of ``make_case`` is born 2019-05-17. Every record is synthetic.
"""

from __future__ import annotations

from datetime import date
from itertools import count

from django.utils import timezone

from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment
from stride.web.outcomes.selectors.child import age_years
from stride.web.patients.models import Case
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.treatment.models import Episode

_pseudonyms = count(1)


def assess(case: Case, by: User, instrument: str, on: date, headline: float | None,
           *, data: dict[str, object] | None = None,
           derived: dict[str, object] | None = None) -> Assessment:
    """Store one assessment of ``case`` as the evaluation service would."""
    return Assessment.objects.create(case=case, instrument=instrument, assessed_on=on,
                                     assessor=by, context="in-person", data=data or {},
                                     derived=derived or {}, headline=headline)


def gmfm66(case: Case, by: User, on: date, score: float, half: float | None) -> Assessment:
    """Store a GMFM-66 (GMAE result; ``half`` the 95% CI half-width, None: no CI kept)."""
    return assess(case, by, "gmfm66", on, score,
                  derived={} if half is None else {"ci_half_width": half})


def episode(case: Case, by: User, kind: str, on: date) -> Episode:
    """Store a treatment episode of ``kind`` starting on ``on``."""
    return Episode.objects.create(case=case, kind=kind, starts_on=on, details={},
                                  recorded_by=by)


def registry_child(case: Case, gmfcs: int | None) -> RegistryChild:
    """Store the registry's row of the child of ``case``."""
    patient = case.patient
    return RegistryChild.objects.create(
        patient=patient, pseudonym=f"TST{next(_pseudonyms):06d}", date_shift_days=17,
        sex=patient.sex, country=patient.country, scpe_subtype="spastic-bilateral",
        gmfcs=gmfcs, refreshed_at=timezone.now())


def window(child: RegistryChild, anchor: Episode | None, horizon: int, *, gmfcs: int | None,
           baseline: tuple[date, float, float | None] | None,
           follow_up: tuple[date, float, float | None] | None,
           anchor_kind: str = "sdr", anchor_on: date | None = None) -> OutcomeWindow:
    """Store one outcome window; ``baseline``/``follow_up`` are (date, score, CI half-width).

    Without an ``anchor`` episode (the untreated group), ``anchor_on`` gives the anchor date.
    """
    dob = child.patient.date_of_birth
    if anchor is not None:
        anchor_on = anchor.starts_on
    assert anchor_on is not None
    return OutcomeWindow.objects.create(
        child=child, anchor_kind=anchor_kind, episode=anchor,
        anchor_age_years=age_years(dob, anchor_on), anchor_year=anchor_on.year,
        horizon_months=horizon, gmfcs=gmfcs, scpe_subtype=child.scpe_subtype,
        country=child.country,
        baseline_age_years=None if baseline is None else age_years(dob, baseline[0]),
        baseline_score=None if baseline is None else baseline[1],
        baseline_ci_half_width=None if baseline is None else baseline[2],
        follow_up_age_years=None if follow_up is None else age_years(dob, follow_up[0]),
        follow_up_score=None if follow_up is None else follow_up[1],
        follow_up_ci_half_width=None if follow_up is None else follow_up[2],
    )


def sdr_child(case: Case, by: User, *, gmfcs: int | None = 2) -> Episode:
    """Give ``case``'s child an SDR at 5 with GMFM-66, GMFM-88, GMFCS and MAS around it.

    Windows: 6 months compared, 12 months compared, 24 months missed (no follow-up).
    Returns the SDR episode.
    """
    if gmfcs is not None:
        assess(case, by, "gmfcs", date(2024, 4, 1), float(gmfcs))
    before = (date(2024, 4, 2), 50.0, 3.0)
    six = (date(2024, 11, 20), 56.0, 3.2)
    twelve = (date(2025, 5, 20), 60.5, 4.0)
    for on, score, half in (before, six, twelve):
        gmfm66(case, by, on, score, half)
    assess(case, by, "gmfm88", date(2024, 4, 2), 61.0)
    assess(case, by, "gmfm88", date(2025, 5, 20), 68.5)
    for on, grade in ((date(2024, 4, 2), "2"), (date(2025, 5, 20), "1+")):
        assess(case, by, "mas", on, None, data={"measurements": [
            {"muscle": "hamstrings", "side": "left", "grade": grade},
            {"muscle": "gastrocnemius", "side": "right", "grade": "3"}]})
    sdr = episode(case, by, "sdr", date(2024, 5, 20))
    episode(case, by, "admission", date(2024, 5, 19))  # not an anchor: never charted
    child = registry_child(case, gmfcs)
    window(child, sdr, 6, gmfcs=gmfcs, baseline=before, follow_up=six)
    window(child, sdr, 12, gmfcs=gmfcs, baseline=before, follow_up=twelve)
    window(child, sdr, 24, gmfcs=gmfcs, baseline=before, follow_up=None)
    return sdr
