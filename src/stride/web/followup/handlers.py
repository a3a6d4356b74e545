"""Follow-up's reactions: every treatment episode gets its visits planned.

Run in the announcing transaction (:mod:`stride.web.events`).
"""

from __future__ import annotations

from stride.web.events import EpisodeRecorded, handles
from stride.web.followup.services import plan_visits
from stride.web.treatment.models import Episode


@handles(EpisodeRecorded)
def episode_recorded(event: EpisodeRecorded) -> None:
    """Plan the episode's follow-up visits from its templates."""
    episode = Episode.objects.select_related("case").get(pk=event.episode_id)
    plan_visits(by=episode.recorded_by, episode=episode)
