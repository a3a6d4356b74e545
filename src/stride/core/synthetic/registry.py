"""A seeded, vectorised generator of a synthetic outcomes registry (columns, not objects).

Everything here is invented, for demos and benchmarks at the registry's scale (100,000
children, over a million assessments). Names are ``Synthetic Registry-0000001`` and the
records are marked synthetic by the loader (:mod:`stride.web.registry.synth`).

What comes from ``clinical-reference.md`` (verified) is said so next to it: the
trajectories follow the Shanghai 2012 GMFM-66 curves of the child's GMFCS level
(:func:`stride.core.natural_history.expected_gmfm66`), the SCPE subtype mix is the SCPE
1980–96 distribution, the GMFM-66 has GMAE-style output (score, SE, 95% CI) and GMFM-88
totals are the mean of the five dimension percentages. **Every other number in this module
is synthetic-data tuning, not a clinical fact**: the GMFCS mix, ages, visit schedule, missed
visits, noise, treatment shares and effect sizes were chosen to give plausible, varied
data, and no analysis may cite them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

import numpy as np
import numpy.typing as npt

from stride.core.errors import InvalidValue
from stride.core.natural_history import expected_gmfm66
from stride.core.pathway import Programme
from stride.core.registry.report import SCPE_1980_96
from stride.core.scales.common import DAYS_PER_MONTH, DAYS_PER_YEAR
from stride.core.scales.gmfm88 import DIMENSION_ITEMS, GmfmDimension, dimension_percentages
from stride.core.scales.instruments import Instrument
from stride.core.treatment.episodes import EpisodeKind

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]


# ------------------------------------------------------------------ from clinical-reference.md

#: The published SCPE 1980–96 subtype shares (cited in ``SCPE_1980_96``), as fractions.
_PUBLISHED_SCPE: Final = {share.category: share.percent / 100
                          for share in SCPE_1980_96.shares if share.percent is not None}
#: The subtype mix drawn: the published shares, and the rest the source does not break
#: down (4.4%) drawn as non-classifiable (synthetic-data tuning).
_SCPE_SHARES: Final = {**_PUBLISHED_SCPE,
                       "non-classifiable": round(1 - sum(_PUBLISHED_SCPE.values()), 3)}

# ------------------------------------------- synthetic-data tuning (not clinical facts) ----

#: Synthetic-data tuning: share of the dyskinetic children drawn as dystonic (else
#: choreo-athetotic).
_DYSTONIC_SHARE: Final = 0.8
#: Synthetic-data tuning: GMFCS levels I–V mix of the synthetic cohort.
_GMFCS_SHARES: Final = (0.32, 0.27, 0.15, 0.14, 0.12)
#: Synthetic-data tuning: sex ratio (share of boys).
_MALE_SHARE: Final = 0.56
#: Synthetic-data tuning: countries of residence and their shares.
_COUNTRIES: Final = {"CN": 0.30, "SA": 0.12, "AE": 0.08, "EG": 0.08, "RU": 0.12, "KZ": 0.05,
                     "BG": 0.10, "GB": 0.06, "DE": 0.05, "US": 0.04}
#: Synthetic-data tuning: age at the first visit, years (uniform).
_FIRST_VISIT_AGE_YEARS: Final = (2.0, 10.0)
#: Synthetic-data tuning: visits every 6 months, 5 to 9 scheduled, ±21 days, each
#: follow-up visit missed with this probability.
_VISIT_EVERY_MONTHS: Final = 6
_VISITS: Final = (5, 9)
_VISIT_JITTER_DAYS: Final = 21
_MISSED_VISIT: Final = 0.15
#: Synthetic-data tuning: the earliest first visit, years before ``today``.
_HISTORY_YEARS: Final = 11
#: Synthetic-data tuning: a child's own distance from its level's curve, GMFM-66 points (SD).
_CHILD_OFFSET_SD: Final = 3.0
#: Synthetic-data tuning: GMAE-like standard errors, GMFM-66 points (uniform range).
_GMAE_SE: Final = (0.9, 2.4)
#: Synthetic-data tuning: share of children treated, and the treatment mix per GMFCS level
#: in the order of :data:`_KINDS`.
_TREATED_SHARE: Final = 0.7
_KINDS: Final = (EpisodeKind.SDR, EpisodeKind.CELL_THERAPY, EpisodeKind.REHABILITATION,
                 EpisodeKind.BOTULINUM_TOXIN, EpisodeKind.ORTHOPAEDIC_SURGERY)
_KIND_MIX_BY_LEVEL: Final = (
    (0.25, 0.03, 0.37, 0.30, 0.05),
    (0.35, 0.03, 0.27, 0.25, 0.10),
    (0.30, 0.04, 0.26, 0.20, 0.20),
    (0.05, 0.05, 0.40, 0.25, 0.25),
    (0.01, 0.05, 0.49, 0.25, 0.20),
)
#: Synthetic-data tuning: mean gain above the curve a year after each kind (GMFM-66 points;
#: reached linearly over 12 months, child-to-child SD :data:`_EFFECT_SD`). Modest on
#: purpose; cell therapy none (investigational).
_EFFECT_POINTS: Final = {EpisodeKind.SDR: 2.5, EpisodeKind.CELL_THERAPY: 0.0,
                         EpisodeKind.REHABILITATION: 1.0, EpisodeKind.BOTULINUM_TOXIN: 0.5,
                         EpisodeKind.ORTHOPAEDIC_SURGERY: 1.0}
_EFFECT_SD: Final = 2.0
#: Synthetic-data tuning: days from the baseline visit to the treatment (uniform).
_DAYS_TO_TREATMENT: Final = (1, 60)
#: Synthetic-data tuning: share of children never classified (GMFCS), or with no history.
_NO_GMFCS_SHARE: Final = 0.02
_NO_HISTORY_SHARE: Final = 0.03
#: Synthetic-data tuning: share of visits with a GMFM-88 and with a MAS examination.
_GMFM88_SHARE: Final = 0.25
_MAS_SHARE: Final = 0.35
#: Synthetic-data tuning: GMFM-88 dimension percentages around the total (A easiest).
_GMFM88_DIMENSION_OFFSET: Final = (25.0, 15.0, 3.0, -15.0, -28.0)
#: Synthetic-data tuning: mean MAS grade index (0 = "0" … 5 = "4") per GMFCS level, and
#: its drop after SDR.
_MAS_MEAN_BY_LEVEL: Final = (1.2, 1.8, 2.4, 2.8, 3.2)
_MAS_DROP_AFTER_SDR: Final = 1.2

#: MAS grades in order of the index above, and the muscle groups examined (both sides).
MAS_GRADES: Final = ("0", "1", "1+", "2", "3", "4")
MAS_MUSCLES: Final = ("hip-adductors", "hamstrings", "gastrocnemius")

_PROGRAMME_OF: Final = {EpisodeKind.CELL_THERAPY: Programme.CELL_THERAPY}


@dataclass(frozen=True, slots=True)
class SyntheticChildren:
    """One entry per synthetic child (``gmfcs`` is the true level even when unrecorded)."""

    number: IntArray
    birth_day: IntArray
    sex: StrArray
    country: StrArray
    gmfcs: IntArray
    scpe_subtype: StrArray
    programme: StrArray

    def __len__(self) -> int:
        return int(self.number.size)


@dataclass(frozen=True, slots=True)
class SyntheticAssessments:
    """One entry per assessment; ``child`` indexes :class:`SyntheticChildren`.

    Attributes
    ----------
    instrument
        :class:`~stride.core.scales.instruments.Instrument` code.
    day
        ``date.toordinal()`` of the assessment.
    headline
        GMFM-66 score, GMFCS level, GMFM-88 total %; NaN for MAS and history.
    standard_error, ci_low, ci_high
        GMAE output of GMFM-66 rows (NaN elsewhere), GMFM-66 points.
    gmfm88_items
        ``(rows, 88)`` item scores 0–3 of the GMFM-88 rows, in their order.
    mas_grades
        ``(rows, 6)`` MAS grade indexes of the MAS rows (muscles × left, right).
    """

    child: IntArray
    instrument: StrArray
    day: IntArray
    headline: FloatArray
    standard_error: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    gmfm88_items: npt.NDArray[np.int8]
    mas_grades: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return int(self.child.size)


@dataclass(frozen=True, slots=True)
class SyntheticEpisodes:
    """One entry per treatment episode; ``child`` indexes :class:`SyntheticChildren`."""

    child: IntArray
    kind: StrArray
    day: IntArray

    def __len__(self) -> int:
        return int(self.child.size)


@dataclass(frozen=True, slots=True)
class SyntheticRegistry:
    """A generated block of children with their assessments and treatment episodes."""

    children: SyntheticChildren
    assessments: SyntheticAssessments
    episodes: SyntheticEpisodes


def _choice(rng: np.random.Generator, labels: tuple[str, ...], shares: tuple[float, ...],
            size: int) -> StrArray:
    probabilities = np.asarray(shares, dtype=np.float64)
    drawn = rng.choice(len(labels), size=size, p=probabilities / probabilities.sum())
    return np.asarray(labels)[drawn]


def generate_registry(count: int, *, seed: int, today: date, first_number: int = 1,
                      ) -> SyntheticRegistry:
    """Return ``count`` synthetic children with their visits' assessments and treatments.

    Parameters
    ----------
    count
        Number of children (0 or more).
    seed
        Seed of the random generator; the same seed, count and ``today`` give the same data.
    today
        No visit is after this day.
    first_number
        Number of the first child (names and references are numbered).

    Returns
    -------
    SyntheticRegistry
        Children, assessments (GMFM-66 at every visit attended, GMFCS yearly, some GMFM-88
        and MAS, the history with the SCPE subtype at the first visit) and episodes.

    Raises
    ------
    InvalidValue
        For a negative count.
    """
    if count < 0:
        raise InvalidValue("children", count, "0 or more")
    rng = np.random.default_rng(seed)
    today_day = today.toordinal()

    level = rng.choice(5, size=count, p=np.asarray(_GMFCS_SHARES) / sum(_GMFCS_SHARES)) + 1
    subtype = _choice(rng, tuple(_SCPE_SHARES), tuple(_SCPE_SHARES.values()), count)
    dyskinetic = subtype == "dyskinetic"
    dystonic = rng.random(count) < _DYSTONIC_SHARE
    subtype = np.where(dyskinetic & dystonic, "dyskinetic-dystonic",
                       np.where(dyskinetic, "dyskinetic-choreoathetotic", subtype))
    visits = rng.integers(_VISITS[0], _VISITS[1] + 1, size=count)
    span_days = (visits - 1) * _VISIT_EVERY_MONTHS * DAYS_PER_MONTH + 2 * _VISIT_JITTER_DAYS
    latest_first = today_day - span_days
    earliest_first = today_day - _HISTORY_YEARS * DAYS_PER_YEAR
    first_visit = (earliest_first + rng.random(count) * (latest_first - earliest_first)).astype(
        np.int64)
    first_age = rng.uniform(*_FIRST_VISIT_AGE_YEARS, size=count)
    birth_day = (first_visit - first_age * DAYS_PER_YEAR).astype(np.int64)
    offset = rng.normal(0.0, _CHILD_OFFSET_SD, size=count)

    treated = rng.random(count) < _TREATED_SHARE
    kind_index = np.zeros(count, dtype=np.int64)
    for lv, mix in enumerate(_KIND_MIX_BY_LEVEL, start=1):
        at_level = level == lv
        kind_index[at_level] = rng.choice(len(_KINDS), size=int(at_level.sum()), p=mix)
    kinds = np.asarray([k.value for k in _KINDS])[kind_index]
    treatment_day = first_visit + rng.integers(*_DAYS_TO_TREATMENT, size=count, endpoint=True)
    effect_mean = np.asarray([_EFFECT_POINTS[k] for k in _KINDS])[kind_index]
    effect = np.where(treated, rng.normal(effect_mean, _EFFECT_SD), 0.0)
    programme = np.where(treated & (kinds == EpisodeKind.CELL_THERAPY.value),
                         _PROGRAMME_OF[EpisodeKind.CELL_THERAPY].value, Programme.SDR.value)

    # Visits: child-major, visit number 0..visits-1; the first is never missed.
    child_of_visit = np.repeat(np.arange(count), visits)
    visit_number = np.arange(child_of_visit.size) - np.repeat(np.cumsum(visits) - visits, visits)
    jitter = rng.integers(-_VISIT_JITTER_DAYS, _VISIT_JITTER_DAYS + 1, size=child_of_visit.size)
    scheduled = np.round(visit_number * _VISIT_EVERY_MONTHS * DAYS_PER_MONTH)
    visit_day = (first_visit[child_of_visit] + scheduled
                 + np.where(visit_number > 0, jitter, 0)).astype(np.int64)
    attended = (visit_number == 0) | (rng.random(child_of_visit.size) >= _MISSED_VISIT)
    attended &= visit_day <= today_day
    child_of_visit, visit_number, visit_day = (
        child_of_visit[attended], visit_number[attended], visit_day[attended])
    age = (visit_day - birth_day[child_of_visit]) / DAYS_PER_YEAR

    # GMFM-66: the level's Shanghai 2012 curve + the child's offset + the treatment's gain.
    since = (visit_day - treatment_day[child_of_visit]) / (12 * DAYS_PER_MONTH)
    gain = effect[child_of_visit] * np.clip(since, 0.0, 1.0)
    truth = expected_gmfm66(level[child_of_visit], age) + offset[child_of_visit] + gain
    se = np.round(rng.uniform(*_GMAE_SE, size=visit_day.size), 2)
    score = np.round(np.clip(truth + rng.normal(0.0, se), 0.0, 100.0), 2)
    ci_low = np.round(np.clip(score - 1.96 * se, 0.0, 100.0), 2)
    ci_high = np.round(np.clip(score + 1.96 * se, 0.0, 100.0), 2)

    classified = rng.random(count) >= _NO_GMFCS_SHARE
    gmfcs_visit = (visit_number % 2 == 0) & classified[child_of_visit]
    with_history = rng.random(count) >= _NO_HISTORY_SHARE
    history_visit = (visit_number == 0) & with_history[child_of_visit]
    gmfm88_visit = rng.random(visit_day.size) < _GMFM88_SHARE
    mas_visit = rng.random(visit_day.size) < _MAS_SHARE

    # GMFM-88 item scores: dimension percentages around a total tied to the GMFM-66.
    n88 = int(gmfm88_visit.sum())
    total = np.clip(1.15 * score[gmfm88_visit] + rng.normal(0.0, 3.0, n88), 0.0, 100.0)
    items = np.empty((n88, 88), dtype=np.int8)
    for dimension, shift in zip(GmfmDimension, _GMFM88_DIMENSION_OFFSET, strict=True):
        items_range = DIMENSION_ITEMS[dimension]
        percent = np.clip(total + shift, 0.0, 100.0)[:, None]
        raw = 3 * percent / 100 + rng.normal(0.0, 0.6, (n88, len(items_range)))
        items[:, items_range.start - 1:items_range.stop - 1] = np.clip(np.round(raw), 0, 3)

    # MAS: grade index around the level's mean, lower after SDR.
    nmas = int(mas_visit.sum())
    mas_child = child_of_visit[mas_visit]
    after_sdr = (treated[mas_child] & (kinds[mas_child] == EpisodeKind.SDR.value)
                 & (visit_day[mas_visit] > treatment_day[mas_child]))
    mean = np.asarray(_MAS_MEAN_BY_LEVEL)[level[mas_child] - 1] - _MAS_DROP_AFTER_SDR * after_sdr
    grades = np.clip(np.round(mean[:, None] + rng.normal(0.0, 0.8, (nmas, 6))), 0, 5)

    parts = (
        (np.ones(visit_day.size, dtype=bool), Instrument.GMFM66, score),
        (gmfcs_visit, Instrument.GMFCS, level[child_of_visit].astype(np.float64)),
        (history_visit, Instrument.HISTORY, np.full(visit_day.size, np.nan)),
        (gmfm88_visit, Instrument.GMFM88, np.full(visit_day.size, np.nan)),
        (mas_visit, Instrument.MAS, np.full(visit_day.size, np.nan)),
    )
    headline = np.concatenate([h[m] for m, _, h in parts])
    is88 = np.concatenate([np.full(int(m.sum()), i is Instrument.GMFM88) for m, i, _ in parts])
    headline[is88] = dimension_percentages(items).sum(axis=1) / 5
    gmfm66_rows = np.concatenate([np.full(int(m.sum()), i is Instrument.GMFM66)
                                  for m, i, _ in parts])

    def only66(values: FloatArray) -> FloatArray:
        out = np.full(headline.size, np.nan)
        out[gmfm66_rows] = values
        return out

    assessments = SyntheticAssessments(
        child=np.concatenate([child_of_visit[m] for m, _, _ in parts]).astype(np.int64),
        instrument=np.concatenate([np.full(int(m.sum()), i.value) for m, i, _ in parts]),
        day=np.concatenate([visit_day[m] for m, _, _ in parts]).astype(np.int64),
        headline=headline, standard_error=only66(se), ci_low=only66(ci_low),
        ci_high=only66(ci_high), gmfm88_items=items, mas_grades=grades.astype(np.int8))
    episodes = SyntheticEpisodes(child=np.flatnonzero(treated).astype(np.int64),
                                 kind=kinds[treated], day=treatment_day[treated])
    children = SyntheticChildren(
        number=np.arange(first_number, first_number + count, dtype=np.int64),
        birth_day=birth_day, sex=np.where(rng.random(count) < _MALE_SHARE, "male", "female"),
        country=_choice(rng, tuple(_COUNTRIES), tuple(_COUNTRIES.values()), count),
        gmfcs=level.astype(np.int64), scpe_subtype=subtype, programme=programme)
    return SyntheticRegistry(children=children, assessments=assessments, episodes=episodes)
