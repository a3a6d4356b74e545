"""Every page a role works from is reachable from the navigation of its own pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Cast


@pytest.mark.parametrize(("who", "names"), [
    ("coordinator_a", ["coordination:queue", "followup:due", "patients:dashboard"]),
    ("clinician_a", ["followup:due", "evaluation:slots", "patients:dashboard"]),
    ("surgeon_a", ["followup:due", "evaluation:slots", "patients:dashboard"]),
    ("analyst", ["outcomes:report", "outcomes:exports"]),
])
def test_the_navigation_links_each_role_to_its_pages(cast: Cast, client: Client, who: str,
                                                     names: list[str]) -> None:
    client.force_login(getattr(cast, who))
    home = client.get(reverse("notifications:inbox")).text  # any page with the navigation
    for name in names:
        url = reverse(name)
        assert f'href="{url}"' in home, name
        assert client.get(url).status_code == 200, name
