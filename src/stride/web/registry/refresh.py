"""Rebuilding the registry's derived rows from the pathway records.

:func:`refresh_children` rebuilds the :class:`RegistryChild` and :class:`OutcomeWindow`
rows of some children from their assessments and treatment episodes, in one transaction.
The assessment and episode write services call it inside their own transaction, so the
registry never lags behind a saved record; ``manage.py refresh_registry`` rebuilds every
child in chunks (:func:`refresh_all`), and the synthetic loader stores the rows it has in
memory through the same :func:`store_derived`.

The windows follow :mod:`stride.core.registry.windows` (``windows-v1``). A child's
pseudonym and date shift are drawn once with :mod:`secrets` and kept on every refresh.

Only records that can be true feed the windows: assessments and episodes marked entered
in error are left out, and so are rows whose dates lie before the child's birth or after
today (stored before dates were checked; pages flag them until they are corrected).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.db.models import FloatField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from stride.core.registry.windows import (
    Anchors,
    ComputedWindows,
    Measurements,
    anchor_kind_of,
    latest_on_or_before,
    outcome_windows,
    untreated_anchors,
)
from stride.core.scales.instruments import Instrument
from stride.core.treatment.episodes import EpisodeKind
from stride.web.evaluation.models import Assessment
from stride.web.patients.models import Patient
from stride.web.registry.bulk import insert_rows
from stride.web.registry.models import OutcomeWindow, RegistryChild, RegistryStamp
from stride.web.treatment.models import Episode

#: Children rebuilt per transaction by :func:`refresh_all`.
REFRESH_CHUNK = 2_000
#: A date shift is drawn from ±1 to ±this many days (never 0, which would show real dates).
MAX_DATE_SHIFT_DAYS = 365
#: ``date(1970, 1, 1).toordinal()``, to turn ordinals into numpy dates.
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: OutcomeWindow columns in the order :func:`window_rows` yields them.
WINDOW_FIELDS = (
    "child_id", "anchor_kind", "episode_id", "anchor_age_years", "anchor_year",
    "horizon_months", "gmfcs", "scpe_subtype", "country", "baseline_age_years",
    "baseline_score", "baseline_ci_half_width", "follow_up_age_years", "follow_up_score",
    "follow_up_ci_half_width",
)


@dataclass(frozen=True, slots=True)
class ChildColumns:
    """What the registry keeps of each child, one entry per child (patient id order free).

    ``birth_day`` is ``date.toordinal()``; ``scpe_subtype`` is blank when unknown.
    """

    patient_id: npt.NDArray[np.int64]
    birth_day: npt.NDArray[np.int64]
    sex: Sequence[str]
    country: Sequence[str]
    scpe_subtype: Sequence[str]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """How many children and outcome windows were (re)written."""

    children: int
    windows: int


def new_pseudonym() -> str:
    """Return a random 16-character pseudonym (64 random bits, hex; never from an id)."""
    return secrets.token_hex(8)


def new_date_shift() -> int:
    """Return a random date shift in days, ±1 to ±:data:`MAX_DATE_SHIFT_DAYS`."""
    magnitude = 1 + secrets.randbelow(MAX_DATE_SHIFT_DAYS)
    return magnitude if secrets.randbelow(2) else -magnitude


def _nullable(values: npt.NDArray[np.float64]) -> list[float | None]:
    objects = values.astype(object)
    objects[np.isnan(values)] = None
    return list(objects.tolist())


def _years(days: npt.NDArray[np.int64]) -> list[int]:
    dates = (days - _EPOCH_ORDINAL).astype("datetime64[D]")
    return list((dates.astype("datetime64[Y]").astype(np.int64) + 1970).tolist())


def window_rows(windows: ComputedWindows, child_pk: Callable[[int], int],
                child_index: Mapping[int, int], children: ChildColumns,
                ) -> Iterable[tuple[object, ...]]:
    """Yield one OutcomeWindow row per window, values in :data:`WINDOW_FIELDS` order.

    ``child_index`` maps a patient id to its entry in ``children`` (for subtype and
    country); ``child_pk`` maps a patient id to its RegistryChild primary key.
    """
    gmfcs = windows.gmfcs.tolist()
    episode = windows.episode.tolist()
    columns = zip(
        windows.child.tolist(), windows.anchor_kind.tolist(), episode,
        windows.anchor_age_years.tolist(), _years(windows.anchor_day),
        windows.horizon_months.tolist(), gmfcs,
        _nullable(windows.baseline_age_years), _nullable(windows.baseline_score),
        _nullable(windows.baseline_ci_half_width), _nullable(windows.follow_up_age_years),
        _nullable(windows.follow_up_score), _nullable(windows.follow_up_ci_half_width),
        strict=True)
    for (patient, kind, episode_id, anchor_age, year, horizon, level, *scores) in columns:
        entry = child_index[patient]
        yield (child_pk(patient), kind, episode_id if episode_id >= 0 else None, anchor_age,
               year, horizon, level or None, children.scpe_subtype[entry],
               children.country[entry], *scores)


def store_derived(children: ChildColumns, gmfm66: Measurements, gmfcs: Measurements,
                  treated: Anchors, *, now: datetime,
                  existing: Mapping[int, RegistryChild] | None = None) -> RefreshReport:
    """Write the RegistryChild and OutcomeWindow rows of ``children``.

    Parameters
    ----------
    children
        The children, one entry each.
    gmfm66, gmfcs
        Their GMFM-66 scores and GMFCS levels (child key = patient id).
    treated
        Their treatment anchors (untreated anchors are added here).
    existing
        Registry entries to keep (pseudonym and date shift) and update, by patient id;
        the others are created. Their outcome windows must already be deleted.

    Returns
    -------
    RefreshReport
        Children and windows written.
    """
    existing = existing or {}
    index = {int(p): i for i, p in enumerate(children.patient_id.tolist())}
    birth_of = dict(zip(children.patient_id.tolist(), children.birth_day.tolist(), strict=True))
    latest = latest_on_or_before(gmfcs, children.patient_id,
                                 np.full(len(index), date.max.toordinal()))
    latest_level = [int(gmfcs.value[row]) if row >= 0 else None for row in latest.tolist()]
    updated: list[RegistryChild] = []
    created: list[RegistryChild] = []
    for patient, i in index.items():
        values = (children.sex[i], children.country[i], children.scpe_subtype[i],
                  latest_level[i])
        entry = existing.get(patient)
        if entry is None:
            created.append(RegistryChild(
                patient_id=patient, pseudonym=new_pseudonym(), date_shift_days=new_date_shift(),
                sex=values[0], country=values[1], scpe_subtype=values[2], gmfcs=values[3],
                refreshed_at=now))
            continue
        updated.append(entry)
        # Only a changed entry is written field by field: a full rebuild changes few.
        if (entry.sex, entry.country, entry.scpe_subtype, entry.gmfcs) != values:
            entry.sex, entry.country, entry.scpe_subtype, entry.gmfcs = values
            entry.save(update_fields=("sex", "country", "scpe_subtype", "gmfcs"))
    RegistryChild.objects.filter(pk__in=[e.pk for e in updated]).update(refreshed_at=now)
    RegistryChild.objects.bulk_create(created, batch_size=500)
    pk_of = {entry.patient_id: entry.pk for entry in (*updated, *created)}
    if any(pk is None for pk in pk_of.values()):  # a backend that returns no keys
        pk_of = dict(RegistryChild.objects.filter(patient_id__in=list(index))
                     .values_list("patient_id", "pk"))

    untreated = untreated_anchors(gmfm66, treated.child, birth_of)
    windows = outcome_windows(Anchors.concat([treated, untreated]), gmfm66, gmfcs)
    written = insert_rows(OutcomeWindow, WINDOW_FIELDS,
                          window_rows(windows, pk_of.__getitem__, index, children))
    stamp_change()
    return RefreshReport(children=len(index), windows=written)


def stamp_change() -> None:
    """Give the registry a new stamp token, in the caller's transaction.

    Every write of derived rows ends here, so a reader holding the windows in memory
    under the old token reads them again (:mod:`stride.web.outcomes.selectors.cohort`).
    """
    RegistryStamp.objects.bulk_create(
        [RegistryStamp(id=1, token=secrets.token_hex(16))],
        update_conflicts=True, unique_fields=["id"], update_fields=["token"])


# ----------------------------------------------------------------------- from the database


def _ordinals(days: Iterable[date]) -> list[int]:
    return [d.toordinal() for d in days]


def _load(patient_ids: list[int], today: date,
          ) -> tuple[ChildColumns, Measurements, Measurements, Anchors]:
    """Return the children, GMFM-66 scores, GMFCS levels and treatment anchors stored.

    Only usable records count: none entered in error, none dated before birth or after
    ``today``.
    """
    patients = list(Patient.objects.filter(pk__in=patient_ids).order_by("pk")
                    .values_list("pk", "date_of_birth", "sex", "country"))
    ids = [p[0] for p in patients]
    usable = Assessment.objects.usable(today)
    assessments = usable.filter(case__patient_id__in=ids, headline__isnull=False)
    # Key texts cast in SQL: decoding a JSON value per row in Python costs more than the query.
    scores = list(assessments.filter(instrument=Instrument.GMFM66.value).annotate(
        half=Cast(KT("derived__ci_half_width"), FloatField())).values_list(
        "case__patient_id", "assessed_on", "headline", "half"))
    levels = list(assessments.filter(instrument=Instrument.GMFCS.value).values_list(
        "case__patient_id", "assessed_on", "headline").order_by("assessed_on", "pk"))
    subtypes: dict[int, str] = {}
    # The latest recorded subtype wins; a later "not established" (JSON null) does not erase it.
    for patient, subtype in (usable.filter(
            case__patient_id__in=ids, instrument=Instrument.HISTORY.value,
            data__scpe_subtype__isnull=False).exclude(data__scpe_subtype=None)
            .order_by("assessed_on", "pk").annotate(subtype=KT("data__scpe_subtype"))
            .values_list("case__patient_id", "subtype")):
        if subtype:
            subtypes[patient] = str(subtype)
    episodes = [(pk, patient, kind, starts_on) for pk, patient, kind, starts_on in
                Episode.objects.usable(today).filter(case__patient_id__in=ids)
                .exclude(kind=EpisodeKind.ADMISSION.value)
                .values_list("pk", "case__patient_id", "kind", "starts_on")]
    birth = {p[0]: p[1].toordinal() for p in patients}
    children = ChildColumns(
        patient_id=np.array(ids, dtype=np.int64),
        birth_day=np.array([birth[i] for i in ids], dtype=np.int64),
        sex=[p[2] for p in patients], country=[p[3] for p in patients],
        scpe_subtype=[subtypes.get(i, "") for i in ids])
    gmfm66 = Measurements.of(
        [s[0] for s in scores], _ordinals(s[1] for s in scores), [float(s[2] or 0) for s in scores],
        [np.nan if s[3] is None else float(s[3]) for s in scores])
    gmfcs = Measurements.of([v[0] for v in levels], _ordinals(v[1] for v in levels),
                            [float(v[2] or 0) for v in levels])
    kinds = [anchor_kind_of(e[2]) for e in episodes]
    treated = Anchors.of([e[1] for e in episodes], _ordinals(e[3] for e in episodes),
                         [str(k) for k in kinds], [e[0] for e in episodes],
                         [birth[e[1]] for e in episodes])
    return children, gmfm66, gmfcs, treated


def refresh_children(patient_ids: Iterable[int], *, now: datetime | None = None) -> RefreshReport:
    """Rebuild the registry rows of these children from their records, in one transaction.

    Called by the assessment and episode write services inside their transaction (so a
    failed write leaves the registry untouched) and by :func:`refresh_all`. A child's
    pseudonym and date shift are kept; its windows are deleted and derived again from the
    usable records (today: the local date of ``now``).

    Returns
    -------
    RefreshReport
        Children and windows written (unknown patient ids are skipped).
    """
    ids = sorted({int(i) for i in patient_ids})
    with transaction.atomic():
        # Two writes for the same child at once would both derive (and the second fail on
        # the one-entry-per-child key): the patients' rows are locked first, in id order.
        list(Patient.objects.select_for_update().filter(pk__in=ids).order_by("pk")
             .values_list("pk", flat=True))
        moment = now or timezone.now()
        children, gmfm66, gmfcs, treated = _load(ids, timezone.localdate(moment))
        existing = {entry.patient_id: entry for entry in
                    RegistryChild.objects.filter(patient_id__in=ids)}
        OutcomeWindow.objects.filter(child__patient_id__in=ids).delete()
        return store_derived(children, gmfm66, gmfcs, treated, now=moment,
                             existing=existing)


def refresh_all(*, chunk: int = REFRESH_CHUNK,
                progress: Callable[[RefreshReport], None] | None = None) -> RefreshReport:
    """Rebuild the registry rows of every child, ``chunk`` children per transaction.

    Returns
    -------
    RefreshReport
        Totals over all chunks; ``progress`` is called with each chunk's report.
    """
    children = windows = 0
    last = 0
    while ids := list(Patient.objects.filter(pk__gt=last).order_by("pk")
                      .values_list("pk", flat=True)[:chunk]):
        report = refresh_children(ids)
        children, windows, last = children + report.children, windows + report.windows, ids[-1]
        if progress is not None:
            progress(report)
    return RefreshReport(children=children, windows=windows)
