"""Validation of each treatment-episode kind.

Each ``check_*`` function takes already-parsed values (dates, numbers, texts; ``None`` for
missing) and returns the validated episode, or raises
:class:`~stride.core.treatment.problems.EpisodeRefused` listing every problem. Nothing here
knows about storage; the web layer stores only what passed.

An episode records what *happened*: every date of it (the operation, each administration
of a course, each injection session, a block's start and end, an admission and discharge,
an adverse event's onset and resolution) lies between the child's date of birth and
``today``, both included. A treatment that is only planned is not an episode yet; an end
that has not come (a block still running, a child still in hospital) is left empty until
it has. Each check takes ``date_of_birth`` and ``today`` for that reason; the caller
decides what today is (the web layer: the site's local date).
:func:`stored_date_problems` applies the same bounds to rows stored before these checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final, TypeVar

from stride.core.anatomy import Side
from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.treatment.problems import Problem, refuse_if_any
from stride.core.trials import ACCEPTED_FORMS, TrialRegistration, parse_trial_registration

_T = TypeVar("_T")


class EpisodeKind(StrEnum):
    """The kinds of treatment episode; the value is the stored code."""

    SDR = "sdr"
    CELL_THERAPY = "cell-therapy-course"
    REHABILITATION = "rehabilitation-block"
    BOTULINUM_TOXIN = "botulinum-toxin"
    ORTHOPAEDIC_SURGERY = "orthopaedic-surgery"
    ADMISSION = "admission"


class Route(StrEnum):
    """How an investigational cell product is given."""

    LUMBAR_PUNCTURE = "lumbar-puncture"
    INTRAVENOUS = "intravenous"
    STEREOTACTIC = "stereotactic"


class SdrApproach(StrEnum):
    """Surgical approach of a selective dorsal rhizotomy.

    Two different things are recorded for an SDR: the *level of exposure* (the vertebral
    level(s) of the laminectomy) and the *roots tested and cut* (the lumbosacral dorsal
    roots, L1–S2, whose rootlets were stimulated and divided).

    * Single-level (conus) laminectomy: one small laminectomy near the end of the spinal
      cord; the cauda equina is opened there and every lumbosacral root is identified and
      tested through that one opening. The roots counted are therefore *not* the exposed
      level: rootlets of L2–S1 counted with only L1 exposed is the technique, not an error.
    * Multi-level laminectomy: each root is reached where it leaves the spinal canal at its
      own level, so a root can only be counted at a level that was exposed.
    """

    SINGLE_LEVEL = "single-level-laminectomy"
    MULTI_LEVEL = "multi-level-laminectomy"

    @property
    def roots_at_exposed_levels_only(self) -> bool:
        """Whether a root can be counted only at an exposed level (multi-level only)."""
        return self is SdrApproach.MULTI_LEVEL


#: Lumbosacral dorsal roots whose rootlets an SDR tests and cuts (the counts' levels).
SDR_ROOTS: Final = ("L1", "L2", "L3", "L4", "L5", "S1", "S2")
#: Vertebral levels of the laminectomy that can be recorded as exposed. The same codes as
#: the roots: a multi-level exposure opens the roots' own levels.
SDR_EXPOSURE_LEVELS: Final = SDR_ROOTS
#: The earlier single name of both lists, kept for callers (the web form's count grid).
SDR_LEVELS: Final = SDR_ROOTS


class Relatedness(StrEnum):
    """How likely an adverse event is caused by the treatment."""

    UNRELATED = "unrelated"
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    DEFINITE = "definite"


class EventOutcome(StrEnum):
    """What became of an adverse event."""

    RECOVERED = "recovered"
    RECOVERING = "recovering"
    NOT_RECOVERED = "not-recovered"
    RECOVERED_WITH_SEQUELAE = "recovered-with-sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"


class ClavienDindo(StrEnum):
    """Grade of a surgical complication by the Clavien–Dindo classification."""

    I = "I"  # noqa: E741 - the grade's own name
    II = "II"
    IIIA = "IIIa"
    IIIB = "IIIb"
    IVA = "IVa"
    IVB = "IVb"
    V = "V"


CLAVIEN_DINDO_CITATION: Final = Citation(
    short="Dindo et al. 2004",
    full="Dindo D, Demartines N, Clavien PA. Classification of surgical complications: a new "
    "proposal with evaluation in a cohort of 6336 patients and results of a survey. "
    "Ann Surg 2004;240:205–213.",
    status=Status.VERIFIED,
)

#: Episode kinds that are operations (their adverse events need a Clavien–Dindo grade).
SURGICAL_KINDS: Final = frozenset({EpisodeKind.SDR, EpisodeKind.ORTHOPAEDIC_SURGERY})


def _missing(field: str, what: str) -> Problem:
    return Problem(field, "missing", f"{what} is required")


def _checked(value: _T | None) -> _T:
    """Return ``value``, known present because a missing one was already refused."""
    if value is None:  # pragma: no cover - unreachable after refuse_if_any
        raise RuntimeError("a required value was not validated")
    return value


def _text(value: str | None) -> str:
    return (value or "").strip()


#: Problem code of a date before the child's date of birth.
BEFORE_BIRTH: Final = "date-before-birth"
#: Problem code of a date after today: an episode records what has happened.
IN_THE_FUTURE: Final = "date-in-the-future"


def happened_problems(field: str, value: date | None, *, date_of_birth: date,
                      today: date) -> list[Problem]:
    """Return why ``value`` cannot be the date of something that happened to the child.

    ``[]`` for a date from ``date_of_birth`` to ``today`` (both included) or ``None`` (a
    missing date is the caller's own problem); otherwise one problem, ``date-before-birth``
    or ``date-in-the-future``, on ``field``.
    """
    if value is None:
        return []
    if value < date_of_birth:
        return [Problem(field, BEFORE_BIRTH,
                        f"{value} is before the date of birth {date_of_birth}")]
    if value > today:
        return [Problem(field, IN_THE_FUTURE,
                        f"{value} is after today, {today}: record what has happened")]
    return []


def _date_order(problems: list[Problem], start: date | None, end: date | None, *,
                start_field: str, end_field: str, date_of_birth: date, today: date) -> None:
    if start is None:
        problems.append(_missing(start_field, "the start date"))
    problems += happened_problems(start_field, start, date_of_birth=date_of_birth, today=today)
    if end is not None and start is not None and end < start:
        problems.append(Problem(end_field, "end-before-start",
                                f"{end} is before {start}"))
    else:
        problems += happened_problems(end_field, end, date_of_birth=date_of_birth, today=today)


def stored_date_problems(*, date_of_birth: date, today: date, starts_on: date,
                         ends_on: date | None) -> tuple[Problem, ...]:
    """Return why a stored episode's dates cannot be true (``()`` when they can).

    For rows stored before the checks of this module existed (or written around them):
    a start or end before birth or after ``today``, or an end before the start. Pages flag
    such a row and leave it out of charts, outcome windows and exports until the care team
    marks it entered in error and records it again.
    """
    problems: list[Problem] = []
    _date_order(problems, starts_on, ends_on, start_field="starts_on", end_field="ends_on",
                date_of_birth=date_of_birth, today=today)
    return tuple(problems)


@dataclass(frozen=True, slots=True)
class RootletCount:
    """Rootlets tested and cut of one dorsal root (``level``: L1–S2) and side, as entered
    by hand. ``level`` names the root, not the laminectomy level (see :class:`SdrApproach`).
    """

    level: str
    side: Side
    tested: int
    cut: int


@dataclass(frozen=True, slots=True)
class SdrEpisode:
    """A validated selective dorsal rhizotomy.

    The stored JSON keeps the field names of the first version (``levels_exposed``,
    ``counts``): ``levels_exposed`` is the level of exposure (the laminectomy), ``counts``
    the roots tested and cut, which after a single-level approach need not be exposed
    levels. :attr:`roots_counted` names the roots.
    """

    operated_on: date
    surgeon: str
    approach: SdrApproach
    levels_exposed: tuple[str, ...]
    counts: tuple[RootletCount, ...]

    @property
    def roots_counted(self) -> tuple[str, ...]:
        """Return the roots with a count, in the order L1 to S2 (each once)."""
        counted = {count.level for count in self.counts}
        return tuple(root for root in SDR_ROOTS if root in counted)


def check_sdr(*, operated_on: date | None, surgeon: str | None, approach: SdrApproach | None,
              levels_exposed: Sequence[str], counts: Sequence[RootletCount],
              date_of_birth: date, today: date) -> SdrEpisode:
    """Return the SDR episode, or raise ``EpisodeRefused`` listing every problem.

    The operation is dated from ``date_of_birth`` to ``today``. ``levels_exposed`` is the
    level of exposure (the laminectomy: one or more of L1–S2). Counts are per root
    (L1–S2) and side and entered by hand until an operating-room rootlet session can be
    linked; cut ≤ tested, one count per root and side. Which roots may be counted depends
    on the approach (see :class:`SdrApproach`): after a single-level (conus) laminectomy
    any lumbosacral root L1–S2, whatever the exposed level; after a multi-level
    laminectomy only a root at an exposed level (``level-not-exposed`` otherwise). While
    the approach is missing (itself refused) the stricter multi-level rule is applied, so
    the list of problems never leaves out one the chosen approach could raise.
    """
    problems: list[Problem] = []
    if operated_on is None:
        problems.append(_missing("operated_on", "the date of the operation"))
    problems += happened_problems("operated_on", operated_on, date_of_birth=date_of_birth,
                                  today=today)
    if not _text(surgeon):
        problems.append(_missing("surgeon", "the surgeon"))
    if approach is None:
        problems.append(_missing("approach", "the approach"))
    levels = tuple(dict.fromkeys(level.strip().upper() for level in levels_exposed))
    if not levels:
        problems.append(_missing("levels_exposed", "at least one exposed level"))
    for level in levels:
        if level not in SDR_EXPOSURE_LEVELS:
            problems.append(Problem("levels_exposed", "unknown-level",
                                    f"{level!r}; allowed: {', '.join(SDR_EXPOSURE_LEVELS)}"))
    seen: set[tuple[str, Side]] = set()
    for index, count in enumerate(counts):
        field = f"counts.{index}"
        if count.level not in SDR_ROOTS:
            # The same code as a bad exposed level: both name a level outside L1–S2.
            problems.append(Problem(field, "unknown-level",
                                    f"{count.level!r}; allowed roots: {', '.join(SDR_ROOTS)}"))
        elif ((approach is None or approach.roots_at_exposed_levels_only)
              and count.level not in levels):
            problems.append(Problem(field, "level-not-exposed",
                                    f"{count.level} is not among the exposed levels of a "
                                    "multi-level laminectomy"))
        if (count.level, count.side) in seen:
            problems.append(Problem(field, "duplicate", f"{count.level} {count.side} twice"))
        seen.add((count.level, count.side))
        if count.tested < 0 or count.cut < 0:
            problems.append(Problem(field, "negative", "counts cannot be negative"))
        elif count.cut > count.tested:
            problems.append(Problem(field, "cut-above-tested",
                                    f"cut {count.cut} > tested {count.tested}"))
    refuse_if_any(problems)
    return SdrEpisode(_checked(operated_on), _text(surgeon), _checked(approach), levels,
                      tuple(counts))


@dataclass(frozen=True, slots=True)
class Administration:
    """One dated administration of an investigational cell product."""

    given_on: date | None
    route: Route | None
    dose: float | None
    dose_unit: str


@dataclass(frozen=True, slots=True)
class CellTherapyCourse:
    """A validated investigational cell-therapy course."""

    trial: TrialRegistration
    ethics_reference: str
    cell_type: str
    cell_source: str
    administrations: tuple[Administration, ...]


def check_cell_therapy_course(
    *, trial_id: str | None, ethics_reference: str | None, research_consent_in_force: bool,
    cell_type: str | None, cell_source: str | None,
    administrations: Sequence[Administration], date_of_birth: date, today: date,
) -> CellTherapyCourse:
    """Return the course, or raise ``EpisodeRefused`` listing every problem.

    A course is investigational: it needs a registered trial (NCT, ChiCTR, ISRCTN,
    EudraCT or EU CTIS id in a valid form), an ethics approval reference and a research
    consent granted and not withdrawn; each administration is dated (from
    ``date_of_birth`` to ``today``: an administration that has not happened is not
    recorded), has a route and a positive dose with its unit.
    """
    problems: list[Problem] = []
    trial: TrialRegistration | None = None
    if not _text(trial_id):
        problems.append(_missing("trial_id", "a trial registration id"))
    else:
        try:
            trial = parse_trial_registration(trial_id or "", field="trial_id")
        except InvalidValue:
            problems.append(Problem("trial_id", "trial-id-format",
                                    f"{trial_id!r}; accepted: {'; '.join(ACCEPTED_FORMS)}"))
    if not _text(ethics_reference):
        problems.append(_missing("ethics_reference", "an ethics approval reference"))
    if not research_consent_in_force:
        problems.append(Problem("research_consent", "no-research-consent",
                                "no research consent is granted and in force"))
    if not _text(cell_type):
        problems.append(_missing("cell_type", "the cell type"))
    if not _text(cell_source):
        problems.append(_missing("cell_source", "the cell source"))
    if not administrations:
        problems.append(_missing("administrations", "at least one administration"))
    for index, given in enumerate(administrations):
        field = f"administrations.{index}"
        if given.given_on is None:
            problems.append(_missing(f"{field}.given_on", "the date"))
        problems += happened_problems(f"{field}.given_on", given.given_on,
                                      date_of_birth=date_of_birth, today=today)
        if given.route is None:
            problems.append(_missing(f"{field}.route", "the route"))
        if given.dose is None:
            problems.append(_missing(f"{field}.dose", "the dose"))
        elif given.dose <= 0:
            problems.append(Problem(f"{field}.dose", "not-positive", "the dose must be > 0"))
        if not given.dose_unit.strip():
            problems.append(_missing(f"{field}.dose_unit", "the dose unit"))
    refuse_if_any(problems)
    return CellTherapyCourse(_checked(trial), _text(ethics_reference), _text(cell_type),
                             _text(cell_source), tuple(administrations))


@dataclass(frozen=True, slots=True)
class RehabilitationBlock:
    """A validated block of rehabilitation."""

    therapy_type: str
    hours_per_week: float
    starts_on: date
    ends_on: date | None


#: Hours in a week: more therapy than this cannot be right.
HOURS_IN_A_WEEK: Final = 168


def check_rehabilitation(*, therapy_type: str | None, hours_per_week: float | None,
                         starts_on: date | None, ends_on: date | None, date_of_birth: date,
                         today: date) -> RehabilitationBlock:
    """Return the block, or raise ``EpisodeRefused`` listing every problem.

    Start and end lie from ``date_of_birth`` to ``today``, the end not before the start;
    a block still running has no end yet.
    """
    problems: list[Problem] = []
    if not _text(therapy_type):
        problems.append(_missing("therapy_type", "the type of therapy"))
    if hours_per_week is None:
        problems.append(_missing("hours_per_week", "the hours per week"))
    elif not 0 < hours_per_week <= HOURS_IN_A_WEEK:
        problems.append(Problem("hours_per_week", "hours-out-of-range",
                                f"{hours_per_week}; allowed: more than 0, at most 168"))
    _date_order(problems, starts_on, ends_on, start_field="starts_on", end_field="ends_on",
                date_of_birth=date_of_birth, today=today)
    refuse_if_any(problems)
    return RehabilitationBlock(_text(therapy_type), _checked(hours_per_week),
                               _checked(starts_on), ends_on)


@dataclass(frozen=True, slots=True)
class Injection:
    """Botulinum toxin into one muscle on one side."""

    muscle: str
    side: Side | None
    units: float | None


@dataclass(frozen=True, slots=True)
class BotulinumToxinEpisode:
    """A validated session of botulinum-toxin injections."""

    given_on: date
    product: str
    injections: tuple[Injection, ...]


def check_botulinum_toxin(*, given_on: date | None, product: str | None,
                          injections: Sequence[Injection], date_of_birth: date,
                          today: date) -> BotulinumToxinEpisode:
    """Return the session, or raise ``EpisodeRefused`` listing every problem.

    The injections were given on one day, from ``date_of_birth`` to ``today``. Every
    injection names its muscle and side and a positive number of units; no dose ceiling
    is checked here (units differ between products; that is the clinician's call).
    """
    problems: list[Problem] = []
    if given_on is None:
        problems.append(_missing("given_on", "the date"))
    problems += happened_problems("given_on", given_on, date_of_birth=date_of_birth,
                                  today=today)
    if not _text(product):
        problems.append(_missing("product", "the product"))
    if not injections:
        problems.append(_missing("injections", "at least one injected muscle"))
    for index, injection in enumerate(injections):
        field = f"injections.{index}"
        if not injection.muscle.strip():
            problems.append(_missing(f"{field}.muscle", "the muscle"))
        if injection.side is None:
            problems.append(_missing(f"{field}.side", "the side"))
        if injection.units is None:
            problems.append(_missing(f"{field}.units", "the units"))
        elif injection.units <= 0:
            problems.append(Problem(f"{field}.units", "not-positive", "units must be > 0"))
    refuse_if_any(problems)
    return BotulinumToxinEpisode(_checked(given_on), _text(product), tuple(injections))


@dataclass(frozen=True, slots=True)
class OrthopaedicSurgery:
    """A validated orthopaedic operation."""

    operated_on: date
    surgeon: str
    procedures: str


def check_orthopaedic_surgery(*, operated_on: date | None, surgeon: str | None,
                              procedures: str | None, date_of_birth: date,
                              today: date) -> OrthopaedicSurgery:
    """Return the operation (dated from ``date_of_birth`` to ``today``), or raise
    ``EpisodeRefused`` listing every problem."""
    problems: list[Problem] = []
    if operated_on is None:
        problems.append(_missing("operated_on", "the date of the operation"))
    problems += happened_problems("operated_on", operated_on, date_of_birth=date_of_birth,
                                  today=today)
    if not _text(surgeon):
        problems.append(_missing("surgeon", "the surgeon"))
    if not _text(procedures):
        problems.append(_missing("procedures", "the procedures"))
    refuse_if_any(problems)
    return OrthopaedicSurgery(_checked(operated_on), _text(surgeon), _text(procedures))


@dataclass(frozen=True, slots=True)
class Admission:
    """A validated hospital stay."""

    admitted_on: date
    discharged_on: date | None


def check_admission(*, admitted_on: date | None, discharged_on: date | None,
                    date_of_birth: date, today: date) -> Admission:
    """Return the stay, or raise ``EpisodeRefused`` listing every problem.

    The admission is required, the discharge not before it; both from ``date_of_birth``
    to ``today`` (a child still in hospital has no discharge date yet).
    """
    problems: list[Problem] = []
    _date_order(problems, admitted_on, discharged_on, start_field="admitted_on",
                end_field="discharged_on", date_of_birth=date_of_birth, today=today)
    refuse_if_any(problems)
    return Admission(_checked(admitted_on), discharged_on)


@dataclass(frozen=True, slots=True)
class AdverseEvent:
    """A validated adverse event of an episode."""

    description: str
    onset_on: date
    grade: int
    relatedness: Relatedness
    outcome: EventOutcome
    clavien_dindo: ClavienDindo | None
    #: The day the event resolved; ``None`` while it has not (or is not known).
    resolved_on: date | None = None


def check_adverse_event(*, episode_kind: EpisodeKind, description: str | None,
                        onset_on: date | None, grade: int | None,
                        relatedness: Relatedness | None, outcome: EventOutcome | None,
                        clavien_dindo: ClavienDindo | None, episode_starts_on: date,
                        date_of_birth: date, today: date,
                        resolved_on: date | None = None) -> AdverseEvent:
    """Return the event, or raise ``EpisodeRefused`` listing every problem.

    Grade is 1–5. After an operation (SDR, orthopaedic surgery) the Clavien–Dindo grade
    (Dindo et al., Ann Surg 2004;240:205–213) is required; for other episodes it is refused,
    since the classification is defined for surgical complications only. The onset is on
    or after the episode's first day (``episode_starts_on``: an event of a treatment does
    not begin before it) and not after ``today``; the resolution, when known, is on or
    after the onset and not after ``today``.
    """
    problems: list[Problem] = []
    if not _text(description):
        problems.append(_missing("description", "a description"))
    if onset_on is None:
        problems.append(_missing("onset_on", "the date of onset"))
    onset_problems = happened_problems("onset_on", onset_on, date_of_birth=date_of_birth,
                                       today=today)
    problems += onset_problems
    if onset_on is not None and not onset_problems and onset_on < episode_starts_on:
        problems.append(Problem("onset_on", "onset-before-episode",
                                f"{onset_on} is before the episode began, {episode_starts_on}"))
    if resolved_on is not None and onset_on is not None and resolved_on < onset_on:
        problems.append(Problem("resolved_on", "resolved-before-onset",
                                f"{resolved_on} is before the onset {onset_on}"))
    else:
        problems += happened_problems("resolved_on", resolved_on, date_of_birth=date_of_birth,
                                      today=today)
    if grade is None:
        problems.append(_missing("grade", "the grade"))
    elif not 1 <= grade <= 5:
        problems.append(Problem("grade", "grade-out-of-range", f"{grade}; allowed: 1–5"))
    if relatedness is None:
        problems.append(_missing("relatedness", "the relatedness"))
    if outcome is None:
        problems.append(_missing("outcome", "the outcome"))
    if episode_kind in SURGICAL_KINDS and clavien_dindo is None:
        problems.append(_missing("clavien_dindo", "the Clavien–Dindo grade after surgery"))
    if episode_kind not in SURGICAL_KINDS and clavien_dindo is not None:
        problems.append(Problem("clavien_dindo", "clavien-dindo-not-surgical",
                                "Clavien–Dindo grades surgical complications only"))
    refuse_if_any(problems)
    return AdverseEvent(_text(description), _checked(onset_on), _checked(grade),
                        _checked(relatedness), _checked(outcome), clavien_dindo, resolved_on)
