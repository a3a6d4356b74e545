"""Who reaches a story: its care team and family only; everyone else gets the audited 404.
All records are synthetic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.stories import services
from stride.web.stories.views import SITEMAP_PAGES
from tests.conftest import Cast
from tests.web.stories.helpers import ALL_TICKED, drafted, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _refused(client: Client, user: Any, url: str, *, post: bool = False) -> None:
    client.force_login(user)
    answer = client.post(url, {"answer": "approve"}) if post else client.get(url)
    assert answer.status_code == 404, url
    assert AuditEvent.objects.filter(actor=user, outcome__in=[Outcome.DENIED,
                                                              Outcome.NOT_FOUND]).exists()


def test_outsiders_get_the_audited_404(cast: Cast) -> None:
    case = cast.case_a
    story = drafted(case, cast.coordinator_a)
    media = services.add_media(by=cast.coordinator_a, story=story, document=photo(case),
                               alt_text="Shoes.")
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    staff_urls = [reverse("stories:workspace", args=[case.pk, story.pk]),
                  reverse("stories:media-file", args=[case.pk, story.pk, media.pk])]
    family_urls = [reverse("portal:story", args=[case.pk, story.pk]),
                   reverse("portal:story-media", args=[case.pk, story.pk, media.pk])]
    for user in (cast.coordinator_b, cast.clinician_b, cast.analyst, cast.admin,
                 cast.guardian_b, cast.guardian_a):
        client = Client()
        for url in staff_urls:
            _refused(client, user, url)
    for user in (cast.guardian_b, cast.coordinator_a, cast.coordinator_b):
        client = Client()
        for url in family_urls:
            _refused(client, user, url)
        _refused(client, user, reverse("portal:story-answer", args=[case.pk, story.pk]),
                 post=True)
    # Another case's story under one's own case reads as not found.
    client = Client()
    client.force_login(cast.coordinator_b)
    assert client.get(reverse("stories:workspace",
                              args=[cast.case_b.pk, story.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_b, object_type="story",
                                     object_id=str(story.pk),
                                     outcome=Outcome.NOT_FOUND).exists()


def test_the_team_and_the_family_read_and_are_audited(cast: Cast) -> None:
    case = cast.case_a
    story = drafted(case, cast.coordinator_a)
    client = Client()
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("patients:case", args=[case.pk])).content.decode().count(
        'data-testid="story-link"') == 1
    assert client.get(reverse("stories:workspace", args=[case.pk, story.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="story",
                                     object_id=str(story.pk), outcome=Outcome.OK).exists()
    family = Client()
    family.force_login(cast.guardian_a)
    # A draft not sent yet is not the family's to read.
    assert family.get(reverse("portal:story", args=[case.pk, story.pk])).status_code == 404
    services.send_to_family(by=cast.coordinator_a, story=story, ticked=ALL_TICKED)
    page = family.get(reverse("portal:story", args=[case.pk, story.pk]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "第一步" in page.content.decode()
    assert 'data-testid="family-story-link"' in family.get(
        reverse("portal:case", args=[case.pk])).content.decode()


def test_every_page_the_sitemap_lists_answers_an_anonymous_reader(db: None) -> None:
    """The sitemap names the public pages of three apps by URL name; each must exist and
    open without signing in (a page renamed or removed fails here, not for a search engine)."""
    reader = Client()
    body = reader.get(reverse("sitemap")).content.decode()
    for name in SITEMAP_PAGES:
        path = reverse(name)
        assert path in body
        assert reader.get(path).status_code == 200, name
