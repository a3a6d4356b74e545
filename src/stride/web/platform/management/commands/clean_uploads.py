"""``manage.py clean_uploads``: remove what killed processes left of uploads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stride.web.platform.uploads import STALE_AFTER, clean_stale_files


class Command(BaseCommand):
    help = ("Remove upload temporary files and staged files older than an hour (what a "
            "killed server process leaves behind); files of running requests are younger.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes", type=int,
            default=int(STALE_AFTER.total_seconds() // 60),
            help="Remove only files last written longer ago than this (default: 60).")

    def handle(self, *args: Any, **options: Any) -> None:
        minutes = max(1, int(options["older_than_minutes"]))
        removed = clean_stale_files(older_than=timedelta(minutes=minutes))
        self.stdout.write(f"{len(removed)} stale upload file(s) removed.")
