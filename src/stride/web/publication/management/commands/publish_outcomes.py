"""``manage.py publish_outcomes``: publish a new snapshot of the public outcomes page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stride.core.registry.suppression import CMS_CELL_SIZE
from stride.web.publication.services import publish_outcomes


class Command(BaseCommand):
    # The rule's threshold is core's constant, never re-typed here.
    help = ("Read the outcomes registry, suppress small cells (CMS rule, threshold "
            f"{CMS_CELL_SIZE.threshold}) and "
            "publish the figures as the newest snapshot of /results/.")

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = publish_outcomes(by="command")
        treatments = len(snapshot.figures.get("treatments", []))
        self.stdout.write(
            f"Published outcomes snapshot {snapshot.pk} ({snapshot.version}, "
            f"{snapshot.suppression_rule}): {treatments} treatments, registry as of "
            f"{snapshot.registry_as_of:%Y-%m-%d %H:%M %Z}.")
