"""``manage.py backup FILE``: the database and the media folder in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from stride.web.operations.backup import BackupError, write_backup


class Command(BaseCommand):
    help = ("Write every table (one consistent snapshot) and every media file to a new tar "
            "archive, readable by its owner only. The site may stay up meanwhile.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path,
                            help="the file to write, e.g. /srv/backups/stride-2025-06-01.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            summary = write_backup(archive, media_root=Path(settings.MEDIA_ROOT))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.rows} rows of {len(summary.tables)} tables and "
            f"{len(summary.files)} media files ({summary.media_bytes / 1e6:.1f} MB) "
            f"to {archive}.")
