"""The registry's reactions: a child's outcome windows follow every record they derive from.

Run in the announcing transaction (:mod:`stride.web.events`), so the registry is never
behind a saved assessment or episode, and never ahead of one that was rolled back.
"""

from __future__ import annotations

from stride.core.scales.instruments import Instrument
from stride.web.events import (
    AssessmentEnteredInError,
    AssessmentRecorded,
    EpisodeEnteredInError,
    EpisodeRecorded,
    handles,
)
from stride.web.registry.refresh import refresh_children

#: Instruments the outcome windows read: GMFM-66 scores, the GMFCS level of the expected
#: curve, and the history's SCPE subtype. Any other assessment leaves the registry (and
#: every worker's cached windows) untouched.
FEEDS_WINDOWS = frozenset({Instrument.GMFM66.value, Instrument.GMFCS.value,
                           Instrument.HISTORY.value})


@handles(AssessmentRecorded)
def assessment_recorded(event: AssessmentRecorded) -> None:
    """Rebuild the child's windows when the assessment is one they read."""
    if event.instrument in FEEDS_WINDOWS:
        refresh_children([event.patient_id])


@handles(EpisodeRecorded)
def episode_recorded(event: EpisodeRecorded) -> None:
    """Rebuild the child's windows: every treatment anchors new ones."""
    refresh_children([event.patient_id])


@handles(AssessmentEnteredInError)
def assessment_entered_in_error(event: AssessmentEnteredInError) -> None:
    """Rebuild the child's windows without the assessment, when it is one they read."""
    if event.instrument in FEEDS_WINDOWS:
        refresh_children([event.patient_id])


@handles(EpisodeEnteredInError)
def episode_entered_in_error(event: EpisodeEnteredInError) -> None:
    """Rebuild the child's windows without the episode's anchor."""
    refresh_children([event.patient_id])
