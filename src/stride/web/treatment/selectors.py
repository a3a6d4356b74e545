"""Reads of treatment episodes for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from stride.core.treatment.episodes import happened_problems, stored_date_problems
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
class EpisodeRow:
    """An episode for the treatment page, with what is wrong with its stored dates.

    ``date_problems`` is empty for an episode whose dates can be true; an episode stored
    before dates were checked may have some, and then it is flagged and left out of the
    outcomes until it is marked entered in error.
    """

    episode: Episode
    date_problems: tuple[Problem, ...]
    adverse_events: tuple[AdverseEventRow, ...]


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
            adverse_events=events))
    return rows
