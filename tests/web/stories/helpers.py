"""Synthetic stories for the stories tests, made through the services."""

from __future__ import annotations

import io

from PIL import Image

from stride.core.consents import ConsentKind
from stride.core.stories import ChecklistItem
from stride.web.accounts.models import User
from stride.web.documents.models import Document
from stride.web.patients import services as patients
from stride.web.patients.models import Case, Guardian
from stride.web.platform.storage import save_bytes
from stride.web.stories import services
from stride.web.stories.models import Story
from stride.web.stories.selectors import current_hash

ALL_TICKED = [item.value for item in ChecklistItem]
BODY_EN = "An invented story. In spring 2024 our daughter took her first steps alone."
BODY_ZH = "合成示例故事。2024年春天，我们的女儿第一次独自走路。"


def guardian(case: Case) -> Guardian:
    row = Guardian.objects.filter(patient_id=case.patient_id).order_by("id").first()
    assert row is not None
    return row


def consent_to_stories(case: Case, *, photos: bool = False) -> None:
    """Record the story consent (and the photo one) of the child, given by its guardian."""
    patients.grant_consent(by=None, patient=case.patient, kind=ConsentKind.STORY_PUBLICATION,
                           granted_by=guardian(case))
    if photos:
        patients.grant_consent(by=None, patient=case.patient, kind=ConsentKind.PHOTO_VIDEO,
                               granted_by=guardian(case))


def drafted(case: Case, by: User, *, zh: bool = True) -> Story:
    """A draft with an English (and a Chinese) text."""
    story = services.create_story(by=by, case=case, pseudonym="L.", country="BG")
    services.save_text(by=by, story=story, language="en", title="First steps", body=BODY_EN)
    if zh:
        services.save_text(by=by, story=story, language="zh-hans", title="第一步", body=BODY_ZH)
    return Story.objects.get(pk=story.pk)


def ready(case: Case, coordinator: User, clinician: User, family: User) -> Story:
    """A story sent, approved in Chinese and checked: ready to publish."""
    story = drafted(case, coordinator)
    services.send_to_family(by=coordinator, story=story, ticked=ALL_TICKED)
    services.family_approve(by=family, story=story, guardian=guardian(case), language="zh-hans",
                            content=current_hash(story))
    services.clinician_agree(by=clinician, story=story, note="Synthetic check.",
                             content=current_hash(story))
    return Story.objects.get(pk=story.pk)


def photo(case: Case, *, size: tuple[int, int] = (200, 100)) -> Document:
    """A synthetic PNG the family sent (half red, half blue), stored as uploads are."""
    picture = Image.new("RGB", size, (255, 0, 0))
    picture.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    content = out.getvalue()
    name = save_bytes("", ".png", content)
    return Document.objects.create(
        patient=case.patient, case=case, kind="medical-record", stored_name=name,
        original_name="photo.png", content_type="image/png", size_bytes=len(content),
        sha256="0" * 64, metadata_removed=True)
