"""The demo's published outcomes page: one snapshot from the synthetic registry."""

from __future__ import annotations

from stride.web.accounts.models import User
from stride.web.publication.models import PublishedOutcomes
from stride.web.publication.services import publish_outcomes


def load_demo_publication(users: dict[str, User] | None = None) -> int:
    """Publish one outcomes snapshot when none exists (idempotent); return how many were made.

    The demo's registry is synthetic, so the page says "Synthetic demo data".
    """
    if PublishedOutcomes.objects.exists():
        return 0
    publish_outcomes(by="demo")
    return 1
