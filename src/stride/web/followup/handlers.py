"""Follow-up's reactions: every treatment episode gets its visits planned, and the visits
of an episode entered in error are cancelled.

Run in the announcing transaction (:mod:`stride.web.events`).
"""

from __future__ import annotations

from stride.web.events import EpisodeEnteredInError, EpisodeRecorded, handles
from stride.web.followup.services import cancel_visits_of_episode, plan_visits
from stride.web.treatment.models import Episode, EpisodeCorrection


@handles(EpisodeRecorded)
def episode_recorded(event: EpisodeRecorded) -> None:
    """Plan the episode's follow-up visits from its templates."""
    episode = Episode.objects.select_related("case").get(pk=event.episode_id)
    plan_visits(by=episode.recorded_by, episode=episode)


@handles(EpisodeEnteredInError)
def episode_entered_in_error(event: EpisodeEnteredInError) -> None:
    """Cancel the open visits planned from the episode: they are not needed."""
    marking = EpisodeCorrection.objects.select_related("episode__case", "marked_by").get(
        episode_id=event.episode_id)
    cancel_visits_of_episode(by=marking.marked_by, episode=marking.episode,
                             now=marking.marked_at)
