"""Who is told of a family story's steps (notifications' handler of StoryStepped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stride.web.notifications.models import Notification
from stride.web.notifications.words import describe
from stride.web.stories import services
from stride.web.stories.selectors import current_hash
from tests.conftest import Cast
from tests.web.stories.helpers import ALL_TICKED, consent_to_stories, drafted, guardian

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _told(step: str) -> set[str]:
    return {n.recipient.username for n in Notification.objects.filter(kind="story")
            if n.args.get("step") == step}


def test_each_step_tells_the_right_people(cast: Cast) -> None:
    case = cast.case_a
    consent_to_stories(case)
    story = drafted(case, cast.coordinator_a)
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    assert _told("awaiting-family") == {"guardian_a"}
    services.family_approve(by=cast.guardian_a, story=story, guardian=guardian(case),
                            language="en", content=current_hash(story))
    assert _told("awaiting-clinician") == {"clinician_a", "surgeon_a"}
    services.clinician_agree(by=cast.clinician_a, story=story, note="",
                             content=current_hash(story))
    services.publish(by=cast.coordinator_a, story=story)
    assert _told("published") == {"guardian_a"}
    services.family_withdraw(by=cast.guardian_a, story=story, guardian=guardian(case))
    assert _told("withdrawn") == {"coordinator_a"}
    notice = Notification.objects.filter(kind="story", recipient=cast.guardian_a).first()
    assert notice is not None
    assert notice.link == f"/portal/cases/{case.pk}/stories/{story.pk}/"
    assert "withdraw it at any time" in describe("story", {"step": "published",
                                                           "reference": "X"})
