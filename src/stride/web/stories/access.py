"""Stories through the door (:mod:`stride.web.patients.access`).

A story is a part of its case: the care team reaches it through the case
(:func:`access_story`), the family through the portal (``family=True``; a draft the
coordinator has not sent yet is not theirs to read and reads as not found). The public
pages read only published stories whose consents are in force (:func:`public_story`);
their reads are audited without an actor.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from stride.core.consents import DataUse
from stride.core.errors import StrideError
from stride.core.stories import StoryStatus
from stride.web.accounts.models import User
from stride.web.patients.access import access_part, authenticated
from stride.web.patients.models import Case, Guardian
from stride.web.patients.services import require_consents
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.stories.models import Story, StoryMedia
from stride.web.stories.selectors import published_story


def _family_may_read(story: Story) -> bool:
    return story.status_enum is not StoryStatus.DRAFT or story.reviews.filter(
        kind="sent-to-family").exists()


def access_story(user: User | AnonymousUser, case_id: int, story_id: int, *,
                 write: bool = False, family: bool = False) -> Story:
    """The story ``story_id`` of case ``case_id`` for its care team (or, with ``family``,
    for a guardian of the child once the story has been sent to the family).

    Raises
    ------
    Http404
        If the case is not the user's or the story is not one of the case's (audited).
    """
    return access_part(user, case_id, rows=lambda case: Story.objects.filter(case=case)
                       .select_related("case", "case__patient"),
                       object_type=ObjectType.STORY, object_id=story_id, write=write,
                       family=family, available=_family_may_read if family else None)


def access_story_media(user: User | AnonymousUser, case_id: int, story_id: int,
                       media_id: int, *, family: bool = False) -> StoryMedia:
    """A processed picture or video of a story of the case, for its care team or family.

    Raises
    ------
    Http404
        If the case or story is not the user's, or the file is not there (audited).
    """
    def available(media: StoryMedia) -> bool:
        return bool(media.public_name) and (not family or _family_may_read(media.story))

    return access_part(user, case_id, rows=lambda case: StoryMedia.objects.filter(
        story__case=case, story_id=story_id).select_related("story"),
        object_type=ObjectType.STORY_MEDIA, object_id=media_id, write=False,
        family=family, available=available)


def guardian_of(user: User | AnonymousUser, case: Case) -> Guardian:
    """The guardian row of the signed-in user for the case's child (the family pages are
    reached through :func:`access_story` with ``family`` first).

    Raises
    ------
    Http404
        If the user is not a guardian of the child.
    """
    actor = authenticated(user)
    guardian = Guardian.objects.filter(patient_id=case.patient_id, user=actor).first()
    if guardian is None:
        raise Http404(NOT_FOUND_MESSAGE)
    return guardian


def consents_allow(story: Story, use: DataUse) -> bool:
    """Whether the child's consents in force allow ``use`` now."""
    try:
        require_consents(patient=story.case.patient_id, use=use)
    except StrideError:
        return False
    return True


class StoryGone(Http404):
    """The story at this address was published once and is no longer (or never was)."""


def public_story(slug: str) -> Story:
    """The published story at ``slug`` whose consents are in force; its read is audited
    (no actor: the public site).

    Raises
    ------
    StoryGone
        If there is no published story there, or its consent is no longer in force.
    """
    story = published_story(slug)
    if story is None or not consents_allow(story, DataUse.PUBLIC_STORY):
        record(actor=None, action=Action.READ, object_type=ObjectType.STORY_PUBLIC,
               object_id=slug[:24], outcome=Outcome.NOT_FOUND,
               patient_id=None if story is None else story.case.patient_id)
        raise StoryGone(NOT_FOUND_MESSAGE)
    record(actor=None, action=Action.READ, object_type=ObjectType.STORY_PUBLIC,
           object_id=story.pk, patient_id=story.case.patient_id)
    return story


def public_media(slug: str, key: str) -> StoryMedia:
    """A picture or video of a published story, when the photo-and-video consent is in
    force; audited (a refusal too).

    Raises
    ------
    Http404
        Otherwise.
    """
    story = public_story(slug)
    media = next((m for m in story.media.all() if m.public_name and media_key(m) == key),
                 None)
    if media is None or not consents_allow(story, DataUse.STORY_MEDIA):
        # A refused read is audited as the story's is: someone asked for a picture of
        # the child that is not (or no longer) public.
        record(actor=None, action=Action.READ, object_type=ObjectType.STORY_MEDIA,
               object_id=key[:24], outcome=Outcome.NOT_FOUND,
               patient_id=story.case.patient_id)
        raise Http404(NOT_FOUND_MESSAGE)
    record(actor=None, action=Action.READ, object_type=ObjectType.STORY_MEDIA,
           object_id=media.pk, patient_id=story.case.patient_id)
    return media


def media_key(media: StoryMedia) -> str:
    """The public address part of a processed file: its random stored name without folder
    and extension (says nothing of the child; changes if the file is made again)."""
    return media.public_name.rsplit("/", 1)[-1].split(".", 1)[0]
