"""Loading a synthetic registry in bulk: ``stride registry synth --children N [--seed S]``.

The children, assessments and episodes come from
:func:`stride.core.synthetic.registry.generate_registry` as columns; this module turns them
into rows in the stored JSON forms core writes (so every page and export reads them like
records entered by hand), inserts them in bulk (``COPY`` on PostgreSQL, batched
``bulk_create`` on SQLite), then writes the registry's derived rows from the same columns
through :func:`stride.web.registry.refresh.store_derived`. One transaction, one audit event.

Every record is synthetic: ``is_synthetic=True``, the name ``Synthetic Registry-0000001``,
case references ``SYNREG-0000001``, assessed by the inactive account
``synthetic-registry`` that cannot sign in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from stride.core.anatomy import Side
from stride.core.classification import ScpeSubtype
from stride.core.pathway import Stage
from stride.core.registry.windows import Anchors, Measurements, anchor_kind_of
from stride.core.roles import Role
from stride.core.scales.common import AgeAtAssessment
from stride.core.scales.examination import MedicalHistory
from stride.core.scales.gmfcs import age_band
from stride.core.scales.gmfm88 import Gmfm88Scores
from stride.core.scales.instruments import Instrument
from stride.core.synthetic.registry import (
    MAS_GRADES,
    MAS_MUSCLES,
    SyntheticRegistry,
    generate_registry,
)
from stride.core.treatment import episodes as core_episodes
from stride.core.treatment.episodes import EpisodeKind
from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment, AssessmentContext
from stride.web.patients.models import Case, Patient
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.registry.bulk import insert_returning_ids, insert_rows
from stride.web.registry.refresh import ChildColumns, RefreshReport, store_derived
from stride.web.treatment.models import Episode, details_json

#: Children generated and inserted per block (bounds the memory of 100,000 children).
BLOCK = 10_000
#: The account that "assessed" every synthetic registry record; it cannot sign in.
SYNTHETIC_ASSESSOR = "synthetic-registry"
REFERENCE_PREFIX = "SYNREG-"
#: Languages of each synthetic country (synthetic-data tuning).
_LANGUAGES = {"CN": ["zh-hans"], "SA": ["ar"], "AE": ["ar", "en"], "EG": ["ar"], "RU": ["ru"],
              "KZ": ["ru"], "BG": ["bg"], "GB": ["en"], "DE": ["en"], "US": ["en"]}
#: Placeholder dates of the episode templates, replaced by each episode's own.
_START, _END = date(2000, 1, 1), date(2000, 3, 25)

_PATIENT_FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "country", "languages",
                   "is_synthetic", "created_at")
_CASE_FIELDS = ("patient_id", "reference", "programme", "stage", "opened_at",
                "stage_changed_at")
_ASSESSMENT_FIELDS = ("case_id", "instrument", "assessed_on", "assessor_id", "context", "data",
                      "derived", "headline", "recorded_at")
_EPISODE_FIELDS = ("case_id", "kind", "starts_on", "ends_on", "details", "recorded_by_id",
                   "recorded_at")
_JSON = frozenset({"languages", "data", "derived", "details"})


@dataclass(frozen=True, slots=True)
class SynthReport:
    """What one load wrote."""

    children: int
    assessments: int
    episodes: int
    windows: int


def _episode_templates() -> dict[str, tuple[str, bool]]:
    """Return each kind's details as JSON text with placeholder dates, and whether it ends.

    Built through core's own checks, so the details have exactly the stored shape (the
    placeholder dates are checked against a placeholder birth and "today" around them).
    """
    side = Side
    born, today = _START, _END
    templates: dict[EpisodeKind, Any] = {
        EpisodeKind.SDR: core_episodes.check_sdr(
            operated_on=_START, surgeon="Synthetic surgeon",
            approach=core_episodes.SdrApproach.SINGLE_LEVEL, levels_exposed=["L2"],
            counts=[core_episodes.RootletCount("L2", side.LEFT, 6, 3),
                    core_episodes.RootletCount("L2", side.RIGHT, 6, 3)],
            date_of_birth=born, today=today),
        EpisodeKind.CELL_THERAPY: core_episodes.check_cell_therapy_course(
            trial_id="NCT01234567", ethics_reference="SYNTHETIC-EC-1",
            research_consent_in_force=True, cell_type="synthetic cells",
            cell_source="synthetic source", administrations=[core_episodes.Administration(
                _START, core_episodes.Route.INTRAVENOUS, 1_000_000.0, "cells/kg")],
            date_of_birth=born, today=today),
        EpisodeKind.REHABILITATION: core_episodes.check_rehabilitation(
            therapy_type="physiotherapy", hours_per_week=5.0, starts_on=_START, ends_on=_END,
            date_of_birth=born, today=today),
        EpisodeKind.BOTULINUM_TOXIN: core_episodes.check_botulinum_toxin(
            given_on=_START, product="synthetic toxin", injections=[core_episodes.Injection(
                "gastrocnemius", side.LEFT, 50.0)], date_of_birth=born, today=today),
        EpisodeKind.ORTHOPAEDIC_SURGERY: core_episodes.check_orthopaedic_surgery(
            operated_on=_START, surgeon="Synthetic surgeon", procedures="synthetic procedure",
            date_of_birth=born, today=today),
    }
    out = {}
    for kind, checked in templates.items():
        details = details_json(checked)
        if kind is EpisodeKind.CELL_THERAPY:
            details["trial_id"] = "NCT01234567"
            details["protocol_visit_days"] = [30, 90]
        out[kind.value] = (json.dumps(details), kind is EpisodeKind.REHABILITATION)
    return out


def synthetic_assessor() -> User:
    """Return the inactive account recorded as assessor of the synthetic registry."""
    user, created = User.objects.get_or_create(
        username=SYNTHETIC_ASSESSOR,
        defaults={"role": Role.CLINICIAN.value, "first_name": "Synthetic",
                  "last_name": "Registry", "is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=("password",))
    return user


def _midday(day: int) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromordinal(day), time(12)))


def _gmfm88_json(items: np.ndarray[Any, Any]) -> Iterator[tuple[str, str]]:
    """Yield the stored inputs and derived scores of each GMFM-88 row, as JSON text.

    Written by core's own ``to_json`` of the scores and their result, as an assessment
    recorded on the page is, so the synthetic rows cannot drift from real ones.
    """
    for row in items.tolist():
        scores = Gmfm88Scores(tuple(row))
        yield json.dumps(scores.to_json()), json.dumps(scores.result().to_json())


def _mas_json(grades: np.ndarray[Any, Any]) -> Iterator[str]:
    slots = [(m, s) for m in MAS_MUSCLES for s in ("left", "right")]
    for row in grades.tolist():
        yield json.dumps({"measurements": [
            {"muscle": m, "side": s, "grade": MAS_GRADES[g]}
            for (m, s), g in zip(slots, row, strict=True)]})


def _assessment_rows(block: SyntheticRegistry, case_ids: list[int], assessor: int,
                     now: datetime) -> Iterator[tuple[object, ...]]:
    """Yield the assessment rows of ``block`` in :data:`_ASSESSMENT_FIELDS` order."""
    a = block.assessments
    birth = block.children.birth_day.tolist()
    # The history as core writes it: the SCPE subtype, everything else not established.
    history = {subtype.value: json.dumps(MedicalHistory(
        assessed_on=_START, scpe_subtype=subtype).to_json()) for subtype in ScpeSubtype}
    gmfm88 = _gmfm88_json(a.gmfm88_items)
    mas = _mas_json(a.mas_grades)
    subtypes = block.children.scpe_subtype.tolist()
    columns = zip(a.child.tolist(), a.instrument.tolist(), a.day.tolist(), a.headline.tolist(),
                  a.standard_error.tolist(), a.ci_low.tolist(), a.ci_high.tolist(), strict=True)
    remote, in_person = AssessmentContext.REMOTE.value, AssessmentContext.IN_PERSON.value
    for child, instrument, day, headline, se, low, high in columns:
        assessed_on = date.fromordinal(day)
        context = in_person
        if instrument == Instrument.GMFM66.value:
            data = (f'{{"score": {headline}, "standard_error": {se}, "ci_low": {low}, '
                    f'"ci_high": {high}, "gmae_version": "GMAE-3"}}')
            derived = f'{{"ci_half_width": {(high - low) / 2.0}}}'
            context = remote
        elif instrument == Instrument.GMFCS.value:
            age = AgeAtAssessment(date.fromordinal(birth[child]), assessed_on)
            data = f'{{"level": {int(headline)}}}'
            derived = f'{{"age_months": {age.months}, "age_band": "{age_band(age).value}"}}'
        elif instrument == Instrument.GMFM88.value:
            data, derived = next(gmfm88)
        elif instrument == Instrument.MAS.value:
            data, derived, headline = next(mas), "{}", None
        else:
            data, derived, headline = history[subtypes[child]], "{}", None
        yield (case_ids[child], instrument, assessed_on, assessor, context, data, derived,
               headline, now)


def _load_block(block: SyntheticRegistry, *, assessor: int, now: datetime,
                templates: dict[str, tuple[str, bool]]) -> SynthReport:
    children = block.children
    births = children.birth_day.tolist()
    treated = set(block.episodes.child.tolist())
    patient_ids = insert_returning_ids(Patient, _PATIENT_FIELDS, [
        ("Synthetic", f"Registry-{number:07d}", date.fromordinal(birth), sex, country,
         json.dumps(_LANGUAGES[country]), True, now)
        for number, birth, sex, country in zip(children.number.tolist(), births,
                                               children.sex.tolist(),
                                               children.country.tolist(), strict=True)],
        json_fields=_JSON)
    first_visit = dict(zip(block.assessments.child.tolist()[::-1],
                           block.assessments.day.tolist()[::-1], strict=True))
    case_ids = insert_returning_ids(Case, _CASE_FIELDS, [
        (patient, f"{REFERENCE_PREFIX}{number:07d}", programme,
         (Stage.FOLLOW_UP if i in treated else Stage.EVALUATION).value,
         _midday(first_visit.get(i, births[i])), now)
        for i, (patient, number, programme) in enumerate(zip(
            patient_ids, children.number.tolist(), children.programme.tolist(), strict=True))])

    episodes = block.episodes
    episode_rows = []
    for child, kind, day in zip(episodes.child.tolist(), episodes.kind.tolist(),
                                episodes.day.tolist(), strict=True):
        details, ends = templates[kind]
        start = date.fromordinal(day)
        end = start + (_END - _START) if ends else None
        details = details.replace(_START.isoformat(), start.isoformat())
        if end is not None:
            details = details.replace(_END.isoformat(), end.isoformat())
        episode_rows.append((case_ids[child], kind, start, end, details, assessor, now))
    episode_ids = insert_returning_ids(Episode, _EPISODE_FIELDS, episode_rows, json_fields=_JSON)
    assessments = insert_rows(Assessment, _ASSESSMENT_FIELDS,
                              _assessment_rows(block, case_ids, assessor, now),
                              json_fields=_JSON)

    derived = _store_derived(block, np.asarray(patient_ids, dtype=np.int64),
                             np.asarray(episode_ids, dtype=np.int64), now)
    return SynthReport(children=len(children), assessments=assessments,
                       episodes=len(episode_ids), windows=derived.windows)


def _store_derived(block: SyntheticRegistry, patient_ids: np.ndarray[Any, Any],
                   episode_ids: np.ndarray[Any, Any], now: datetime) -> RefreshReport:
    """Write the registry rows of ``block`` from its columns (no re-reading)."""
    children, a, episodes = block.children, block.assessments, block.episodes
    is66 = a.instrument == Instrument.GMFM66.value
    is_level = a.instrument == Instrument.GMFCS.value
    gmfm66 = Measurements.of(patient_ids[a.child[is66]], a.day[is66], a.headline[is66],
                             (a.ci_high[is66] - a.ci_low[is66]) / 2.0)
    levels = Measurements.of(patient_ids[a.child[is_level]], a.day[is_level],
                             a.headline[is_level])
    kinds = [str(anchor_kind_of(k)) for k in episodes.kind.tolist()]
    treated = Anchors.of(patient_ids[episodes.child], episodes.day, kinds, episode_ids,
                         children.birth_day[episodes.child])
    with_history = set(a.child[a.instrument == Instrument.HISTORY.value].tolist())
    subtypes = [s if i in with_history else ""
                for i, s in enumerate(children.scpe_subtype.tolist())]
    columns = ChildColumns(patient_id=patient_ids, birth_day=children.birth_day,
                           sex=children.sex.tolist(), country=children.country.tolist(),
                           scpe_subtype=subtypes)
    return store_derived(columns, gmfm66, levels, treated, now=now)


def load_synthetic_registry(*, children: int, seed: int, today: date | None = None,
                            progress: Callable[[SynthReport], None] | None = None,
                            ) -> SynthReport:
    """Generate and store ``children`` synthetic children with their registry rows.

    Blocks of :data:`BLOCK` children are generated (seeded by ``seed`` and the block
    number, so the same arguments give the same data) and inserted in bulk, all in one
    transaction; one audit event records the load.

    Returns
    -------
    SynthReport
        Children, assessments, episodes and outcome windows written.
    """
    now = timezone.now()
    today = today or timezone.localdate()
    templates = _episode_templates()
    totals = SynthReport(0, 0, 0, 0)
    with transaction.atomic():
        assessor = synthetic_assessor()
        first = Case.objects.filter(reference__startswith=REFERENCE_PREFIX).count() + 1
        for start in range(0, children, BLOCK):
            count = min(BLOCK, children - start)
            block = generate_registry(count, seed=seed * 1_000_003 + start // BLOCK,
                                      today=today, first_number=first + start)
            report = _load_block(block, assessor=assessor.pk, now=now, templates=templates)
            totals = SynthReport(*(x + y for x, y in zip(
                (totals.children, totals.assessments, totals.episodes, totals.windows),
                (report.children, report.assessments, report.episodes, report.windows),
                strict=True)))
            if progress is not None:
                progress(report)
        record(actor=None, action=Action.CREATE, object_type=ObjectType.SYNTHETIC_REGISTRY,
               object_id=f"{totals.children} children, seed {seed}",
               actor_label="stride registry synth")
    return totals

