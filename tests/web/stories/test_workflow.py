"""Family stories: the workflow from draft to publication and withdrawal, the checks that
refuse each step, and what the public sees. All records are synthetic."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stride.core.consents import ConsentKind, ConsentMissing
from stride.core.stories import ProblemCode, StoryStatus
from stride.web.documents.models import Document
from stride.web.patients import services as patients
from stride.web.patients.models import Consent
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.platform.storage import save_bytes
from stride.web.stories import services
from stride.web.stories.models import ReviewKind, Story, StoryReview, WithdrawnHow
from stride.web.stories.selectors import current_hash
from stride.web.stories.services import StoryRefused
from tests.conftest import Cast
from tests.web.registry.rows import sdr_child
from tests.web.stories.helpers import (
    ALL_TICKED,
    consent_to_stories,
    drafted,
    guardian,
    photo,
    ready,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_draft_approve_check_publish_and_the_public_page(cast: Cast) -> None:
    case = cast.case_a
    consent_to_stories(case)
    sdr_child(case, cast.clinician_a)
    story = ready(case, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    assert story.status_enum is StoryStatus.READY
    approval = StoryReview.objects.get(story=story, kind=ReviewKind.FAMILY_APPROVED)
    assert (approval.language, approval.guardian_id) == ("zh-hans", guardian(case).pk)
    assert approval.content_hash == current_hash(story)

    services.publish(by=cast.coordinator_a, story=story)
    client = Client()
    page = client.get(reverse("stories:detail", args=[story.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "First steps" in text
    assert case.patient.family_name not in text
    # The registry's 12-month window of the SDR (50.0 → 60.5 points), in words and units.
    assert "GMFM-66: 50.0 → 60.5 points over 12 months" in text
    assert "Expected from the reference curves for GMFCS level II" in text
    zh = client.get(reverse("stories:detail", args=[story.slug]),
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "第一步" in zh.content.decode()
    assert story.slug in client.get(reverse("sitemap")).content.decode()
    assert "First steps" in client.get(reverse("stories:list")).content.decode()


def test_the_list_and_sitemap_read_all_stories_in_a_fixed_number_of_queries(
        cast: Cast) -> None:
    def published(case: Any, coordinator: Any, clinician: Any, family: Any) -> Story:
        consent_to_stories(case)
        story = ready(case, coordinator, clinician, family)
        services.publish(by=coordinator, story=story)
        return story

    def queries(name: str) -> int:
        Client().get(reverse(name))  # warm what a first request caches
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(reverse(name)).status_code == 200
        return len(captured)

    pages = ("stories:list", "sitemap")
    first = published(cast.case_a, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    with_one = {name: queries(name) for name in pages}
    published(cast.case_b, cast.coordinator_b, cast.clinician_b, cast.guardian_b)
    assert {name: queries(name) for name in pages} == with_one

    # A consent no longer in force hides the story even before the story is withdrawn.
    Consent.objects.filter(patient=cast.case_a.patient, kind="story-publication").update(
        withdrawn_at=timezone.now())
    assert first.slug not in Client().get(reverse("sitemap")).content.decode()
    assert first.slug not in Client().get(reverse("stories:list")).content.decode()


def test_a_story_in_another_language_says_so(cast: Cast) -> None:
    consent_to_stories(cast.case_a)
    story = drafted(cast.case_a, cast.coordinator_a, zh=False)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(cast.case_a),
                            language="en", content=current_hash(story))
    services.clinician_agree(by=cast.surgeon_a, story=story, note="", content=current_hash(story))
    services.publish(by=cast.coordinator_a, story=story)
    page = Client().get(reverse("stories:detail", args=[story.slug]),
                        HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    assert 'data-testid="other-language"' in page.content.decode()
    assert 'data-testid="outcome-none"' in page.content.decode()  # no registry windows


def test_names_dates_and_unticked_boxes_are_refused(cast: Cast) -> None:
    story = drafted(cast.case_a, cast.coordinator_a)
    family_name = cast.case_a.patient.family_name
    services.save_text(by=cast.coordinator_a, story=story, language="en",
                       title="First steps", body=f"The {family_name} family. On 12 May she walked.")
    with pytest.raises(StoryRefused) as refused:
        services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED[:2])
    found = {(p.code, p.part) for p in refused.value.problems}
    assert (ProblemCode.FAMILY_NAME, "body:en") in found
    assert (ProblemCode.EXACT_DATE, "body:en") in found
    assert (ProblemCode.UNTICKED, "checklist") in found
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.DRAFT
    assert not StoryReview.objects.filter(story=story).exists()


def test_the_workspace_lists_the_problems_and_the_send_is_refused(cast: Cast) -> None:
    story = drafted(cast.case_a, cast.coordinator_a)
    services.update_details(by=cast.coordinator_a, story=story, pseudonym="Synthetic",
                            country="BG")  # the child's given name
    client = Client()
    client.force_login(cast.coordinator_a)
    url = reverse("stories:workspace", args=[cast.case_a.pk, story.pk])
    page = client.get(url).content.decode()
    assert "A given name of the child or a guardian (“Synthetic”) is in the name shown" in page
    answer = client.post(reverse("stories:send", args=[cast.case_a.pk, story.pk]),
                         {"items": ALL_TICKED}, follow=True)
    assert "The story cannot go to the family yet" in answer.content.decode()
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.DRAFT


def test_a_clinician_answer_that_is_neither_button_changes_nothing(cast: Cast) -> None:
    case = cast.case_a
    story = drafted(case, cast.coordinator_a)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(case),
                            language="en", content=current_hash(story))
    client = Client()
    client.force_login(cast.clinician_a)
    url = reverse("stories:check", args=[case.pk, story.pk])
    for answer in ({}, {"answer": "maybe"}):
        page = client.post(url, answer, follow=True)
        assert "Choose “The medical statements are right”" in page.content.decode()
        story.refresh_from_db()
        assert story.status_enum is StoryStatus.AWAITING_CLINICIAN


def test_an_edit_after_approval_sends_it_back(cast: Cast) -> None:
    consent_to_stories(cast.case_a)
    story = ready(cast.case_a, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    services.save_text(by=cast.coordinator_a, story=story, language="en", title="First steps",
                       body="An invented story, changed after the approval.")
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.DRAFT
    assert story.approved_hash == ""
    with pytest.raises(StoryRefused):
        services.publish(by=cast.coordinator_a, story=story)
    # A stale approval (the page read before the edit) is refused too.
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    with pytest.raises(StoryRefused):
        services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(cast.case_a),
                                language="en", content="0" * 64)


def test_only_a_clinician_checks_and_only_a_coordinator_publishes(cast: Cast) -> None:
    consent_to_stories(cast.case_a)
    story = drafted(cast.case_a, cast.coordinator_a)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(cast.case_a),
                            language="zh-hans", content=current_hash(story))
    with pytest.raises(StoryRefused):
        services.clinician_agree(by=cast.coordinator_a, story=story, note="",
                                 content=current_hash(story))
    services.clinician_agree(by=cast.clinician_a, story=story, note="",
                             content=current_hash(story))
    with pytest.raises(StoryRefused):
        services.publish(by=cast.clinician_a, story=story)


def test_no_publication_without_the_story_consent(cast: Cast) -> None:
    story = ready(cast.case_a, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    with pytest.raises(ConsentMissing):
        services.publish(by=cast.coordinator_a, story=story)
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.READY


def test_the_family_withdraws_and_the_story_leaves_the_site(cast: Cast) -> None:
    case = cast.case_a
    consent_to_stories(case, photos=True)
    story = drafted(case, cast.coordinator_a)
    media = services.add_media(by=cast.coordinator_a, story=story, document=photo(case),
                               alt_text="A child's shoes on a path.", blur=[[0, 0, 50, 50]])
    assert default_storage.exists(media.public_name)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(case),
                            language="zh-hans", content=current_hash(story))
    services.clinician_agree(by=cast.clinician_a, story=story, note="",
                             content=current_hash(story))
    services.publish(by=cast.coordinator_a, story=story)
    client = Client()
    detail = reverse("stories:detail", args=[story.slug])
    key = media.public_name.rsplit("/", 1)[-1].split(".")[0]
    assert client.get(reverse("stories:public-media", args=[story.slug, key])).status_code == 200
    # A key that is no picture of the story: the audited 404.
    assert client.get(reverse("stories:public-media",
                              args=[story.slug, "not-a-picture"])).status_code == 404
    assert AuditEvent.objects.filter(object_type="story-media", object_id="not-a-picture",
                                     outcome=Outcome.NOT_FOUND).exists()

    family = Client()
    family.force_login(cast.guardian_a)
    answer = family.post(reverse("portal:story-answer", args=[case.pk, story.pk]),
                         {"answer": "withdraw"})
    assert answer.status_code == 302
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.WITHDRAWN
    assert story.withdrawn_how == "portal"
    gone = client.get(detail)
    assert gone.status_code == 404
    assert "This story is no longer published" in gone.content.decode()
    assert story.slug not in client.get(reverse("sitemap")).content.decode()
    assert client.get(reverse("stories:public-media", args=[story.slug, key])).status_code == 404
    assert Consent.objects.get(patient=case.patient, kind="story-publication").withdrawn_at
    assert AuditEvent.objects.filter(object_type="story-public", object_id=story.slug,
                                     outcome=Outcome.NOT_FOUND).exists()


def test_the_media_file_is_deleted_when_withdrawn(
        cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    case = cast.case_a
    story = drafted(case, cast.coordinator_a)
    media = services.add_media(by=cast.coordinator_a, story=story, document=photo(case),
                               alt_text="Shoes on a path.")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(by=cast.coordinator_a, story=story, how=WithdrawnHow.STAFF)
    assert not default_storage.exists(media.public_name)


def test_a_withdrawn_consent_withdraws_the_story(cast: Cast) -> None:
    consent_to_stories(cast.case_a)
    story = ready(cast.case_a, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    services.publish(by=cast.coordinator_a, story=story)
    consent = Consent.objects.get(patient=cast.case_a.patient, kind="story-publication")
    patients.withdraw_consent(by=cast.coordinator_a, consent_id=consent.pk, reason="Synthetic.")
    story.refresh_from_db()
    assert story.status_enum is StoryStatus.WITHDRAWN
    assert story.withdrawn_how == "consent-withdrawn"
    assert Client().get(reverse("stories:detail", args=[story.slug])).status_code == 404


def test_photos_are_blurred_cropped_and_stripped(cast: Cast) -> None:
    case = cast.case_a
    story = drafted(case, cast.coordinator_a)
    media = services.add_media(by=cast.coordinator_a, story=story, document=photo(case),
                               alt_text="Red and blue.", crop=[0, 0, 75, 100],
                               blur=[[25, 0, 50, 100]])
    with default_storage.open(media.public_name, "rb") as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    assert picture.format == "JPEG"
    assert picture.size == (150, 100)
    assert not picture.info.get("exif")
    # At the red/blue border (x=100 of 200) the blur mixes both colours.
    red, _green, blue = picture.getpixel((100, 50))  # type: ignore[misc]
    assert 40 < red < 215
    assert 40 < blue < 215
    # Outside the blurred region the colours are untouched.
    assert picture.getpixel((5, 50))[0] > 240  # type: ignore[index]


def test_a_video_is_blurred_or_needs_the_no_face_tick(cast: Cast, tmp_path: Path) -> None:
    source = tmp_path / "walk.mp4"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",  # noqa: S603,S607
                    "testsrc=size=320x240:rate=10", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac",
                    "-metadata", "title=Synthetic Petrova walk", str(source)], check=True)
    content = source.read_bytes()
    video = Document.objects.create(
        patient=cast.case_a.patient, case=cast.case_a, kind="walking-video",
        stored_name=save_bytes("", ".mp4", content), original_name="walk.mp4",
        content_type="video/mp4", size_bytes=len(content), sha256="0" * 64)
    story = drafted(cast.case_a, cast.coordinator_a)
    with pytest.raises(StoryRefused):
        services.add_media(by=cast.coordinator_a, story=story, document=video,
                           alt_text="Walking.")
    media = services.add_media(by=cast.coordinator_a, story=story, document=video,
                               alt_text="Walking.", crop=[0, 0, 50, 100],
                               blur=[[10, 10, 30, 30]])
    assert media.content_type == "video/mp4"
    public = Path(default_storage.path(media.public_name))
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries",  # noqa: S603,S607
                            "stream=codec_type,width,height:format_tags", "-of", "json",
                            str(public)], check=True, capture_output=True, text=True).stdout
    found = json.loads(probe)
    assert [s["codec_type"] for s in found["streams"]] == ["video"]  # the sound is gone
    assert (found["streams"][0]["width"], found["streams"][0]["height"]) == (160, 240)
    assert "Petrova" not in probe  # the title tag is gone


def test_reviews_are_append_only(cast: Cast) -> None:
    story = drafted(cast.case_a, cast.coordinator_a)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    review = StoryReview.objects.filter(story=story).first()
    assert review is not None
    with pytest.raises(Exception, match="append-only"):
        review.save()
    with pytest.raises(Exception, match="append-only"):
        StoryReview.objects.filter(story=story).update(note="x")


def test_a_published_story_with_consent_story_is_also_kept_from_a_second_publish(
        cast: Cast) -> None:
    consent_to_stories(cast.case_a)
    story = ready(cast.case_a, cast.coordinator_a, cast.clinician_a, cast.guardian_a)
    services.publish(by=cast.coordinator_a, story=story)
    with pytest.raises(StoryRefused):
        services.publish(by=cast.coordinator_a, story=Story.objects.get(pk=story.pk))
    assert ConsentKind.STORY_PUBLICATION.value == "story-publication"
