"""Which rows are a case's treatment episodes, for the door (:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.patients.access import access_part
from stride.web.platform.audit.models import ObjectType
from stride.web.treatment.models import Episode


def access_episode(user: User | AnonymousUser, case_id: int, episode_id: int, *,
                   write: bool = False) -> Episode:
    """A treatment episode of the case, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the episode is not one of its episodes; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.TREATMENT_EPISODE,
                       object_id=episode_id,
                       write=write, family=False,
                       rows=lambda case: Episode.objects.filter(case=case).select_related("case"))
