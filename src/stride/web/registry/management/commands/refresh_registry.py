"""``manage.py refresh_registry``: rebuild every child's registry rows from the records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stride.core.registry.windows import WINDOWS_VERSION
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.registry.refresh import REFRESH_CHUNK, RefreshReport, refresh_all


class Command(BaseCommand):
    help = ("Rebuild the registry's derived rows (one per child, one per outcome window) "
            f"from the assessments and treatment episodes, {WINDOWS_VERSION}.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=REFRESH_CHUNK,
                            help=f"children per transaction (default {REFRESH_CHUNK})")

    def handle(self, *args: Any, **options: Any) -> None:
        chunk: int = options["chunk"]
        if chunk < 1:
            self.stderr.write("--chunk must be 1 or more.")
            raise SystemExit(2)
        done = [0]

        def progress(report: RefreshReport) -> None:
            done[0] += report.children
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done[0]} children refreshed")

        total = refresh_all(chunk=chunk, progress=progress)
        record(actor=None, action=Action.UPDATE, object_type=ObjectType.REGISTRY_REFRESH,
               object_id=f"{total.children} children", actor_label="manage.py refresh_registry")
        self.stdout.write(f"Registry refreshed ({WINDOWS_VERSION}): {total.children} children, "
                          f"{total.windows} outcome windows.")
