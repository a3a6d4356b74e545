"""The demo's family stories: one published, one waiting for the family; every demo role
sees them where it would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.accounts.models import User
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.patients.models import Case
from stride.web.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_stories_are_where_each_role_looks(db: None) -> None:
    load_demo(children=20, registry_children=20)
    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    stories = {s.status: s for s in Story.objects.filter(case=case)}
    assert set(stories) == {"published", "awaiting-family"}
    published = stories["published"]
    assert {t.language for t in published.texts.all()} == {"en", "zh-hans", "ar", "ru", "bg"}
    for language in ("en", "zh-hans", "ar", "ru", "bg"):
        page = Client().get(reverse("stories:detail", args=[published.slug]),
                            HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        assert 'data-testid="other-language"' not in page.content.decode()
    assert published.slug in Client().get(reverse("sitemap")).content.decode()

    coordinator = Client()
    coordinator.force_login(User.objects.get(username="demo-coordinator"))
    panel = coordinator.get(reverse("patients:case", args=[case.pk])).content.decode()
    assert panel.count('data-testid="story-link"') == 2
    family = Client()
    family.force_login(User.objects.get(username="demo-guardian"))
    portal = family.get(reverse("portal:case", args=[case.pk])).content.decode()
    assert portal.count('data-testid="family-story-link"') == 2

    load_demo(children=20, registry_children=20)  # idempotent
    assert Story.objects.filter(case=case).count() == 2
