"""Reads of treatment episodes for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from stride.core.anatomy import Side
from stride.core.treatment.episodes import (
    SDR_ROOTS,
    EpisodeKind,
    happened_problems,
    stored_date_problems,
)
from stride.core.treatment.problems import Problem
from stride.web.patients.models import Case
from stride.web.treatment.models import AdverseEvent, Episode


def episodes_of(case: Case) -> QuerySet[Episode]:
    """Return the case's episodes, oldest first, with their adverse events and any marking
    "entered in error" fetched."""
    return (Episode.objects.filter(case=case).select_related("entered_in_error__marked_by")
            .prefetch_related("adverse_events"))


@dataclass(frozen=True)
class AdverseEventRow:
    """An adverse event and why its stored dates cannot be true (empty: they can)."""

    event: AdverseEvent
    date_problems: tuple[Problem, ...]


@dataclass(frozen=True)
class RootCounts:
    """Rootlets tested and cut of one dorsal root, each side (``None``: not counted)."""

    root: str
    left: tuple[int, int] | None
    right: tuple[int, int] | None


@dataclass(frozen=True)
class SdrSummary:
    """An SDR as its page shows it: the level of exposure apart from the roots counted.

    ``approach`` is core's code (the page names it); ``exposure`` the laminectomy levels;
    ``roots`` the roots tested and cut, L1 to S2, each with its counts per side.
    """

    approach: str
    exposure: tuple[str, ...]
    roots: tuple[RootCounts, ...]


def sdr_summary(details: object) -> SdrSummary:
    """Return the exposure and the roots counted of an SDR's stored ``details``.

    Stored details of any age are read defensively: a missing part is left empty.
    """
    data = details if isinstance(details, dict) else {}
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for count in data.get("counts") or []:
        if isinstance(count, dict):
            counts[(str(count.get("level")), str(count.get("side")))] = (
                int(count.get("tested") or 0), int(count.get("cut") or 0))
    roots = tuple(
        RootCounts(root, counts.get((root, Side.LEFT.value)), counts.get((root, Side.RIGHT.value)))
        for root in SDR_ROOTS
        if (root, Side.LEFT.value) in counts or (root, Side.RIGHT.value) in counts)
    return SdrSummary(approach=str(data.get("approach") or ""),
                      exposure=tuple(str(level) for level in data.get("levels_exposed") or []),
                      roots=roots)


@dataclass(frozen=True)
class EpisodeRow:
    """An episode for the treatment page, with what is wrong with its stored dates.

    ``date_problems`` is empty for an episode whose dates can be true; an episode stored
    before dates were checked may have some, and then it is flagged and left out of the
    outcomes until it is marked entered in error.
    """

    episode: Episode
    date_problems: tuple[Problem, ...]
    adverse_events: tuple[AdverseEventRow, ...]
    #: An SDR's exposure and roots counted (``None`` for other kinds).
    sdr: SdrSummary | None = None


def episode_rows(case: Case, *, today: date) -> list[EpisodeRow]:
    """Return the case's episodes for its treatment page, each with its date problems."""
    born = case.patient.date_of_birth
    rows = []
    for episode in episodes_of(case):
        events = tuple(
            AdverseEventRow(event, tuple(
                happened_problems("onset_on", event.onset_on, date_of_birth=born, today=today)
                + happened_problems("resolved_on", event.resolved_on, date_of_birth=born,
                                    today=today)))
            for event in episode.adverse_events.all())
        rows.append(EpisodeRow(
            episode=episode,
            date_problems=stored_date_problems(date_of_birth=born, today=today,
                                               starts_on=episode.starts_on,
                                               ends_on=episode.ends_on),
            adverse_events=events,
            sdr=sdr_summary(episode.details) if episode.kind == EpisodeKind.SDR.value else None))
    return rows
