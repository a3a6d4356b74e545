"""Treatment's reactions: a rootlet session started from an SDR episode is linked to it.

Run in the announcing transaction (:mod:`stride.web.events`).
"""

from __future__ import annotations

from stride.web.events import RootletSessionStarted, handles
from stride.web.ionm.models import RootletSession
from stride.web.treatment.models import Episode
from stride.web.treatment.services import link_rootlet_session


@handles(RootletSessionStarted)
def rootlet_session_started(event: RootletSessionStarted) -> None:
    """Link the session to the SDR episode it was started from."""
    if event.episode_id is None:
        return
    episode = Episode.objects.select_related("case").get(pk=event.episode_id)
    session = RootletSession.objects.select_related("surgeon").get(pk=event.session_id)
    link_rootlet_session(by=session.surgeon, episode=episode, session=session)
