"""What the stories app does when something happens elsewhere: a withdrawn consent takes
the child's stories (or their pictures) off the site at once."""

from __future__ import annotations

from stride.web.events import ConsentWithdrawn, handles
from stride.web.stories.services import withdraw_for_consent


@handles(ConsentWithdrawn)
def consent_withdrawn(event: ConsentWithdrawn) -> None:
    """The story or data-processing consent: every story of the child is withdrawn; the
    photo-and-video consent: the stories' pictures leave the site."""
    withdraw_for_consent(patient_id=event.patient_id, kind=event.kind)
