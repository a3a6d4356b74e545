"""``manage.py restore FILE``: put a backup back into a fresh database and media folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from stride.web.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup made by manage.py backup into this database (migrated to the "
            "backup's migrations first) and MEDIA_ROOT, checking every row and file against "
            "the backup. Refuses a database or media folder that holds records, unless "
            "--replace. Stop the web server and the worker first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the backup file")
        parser.add_argument(
            "--replace", action="store_true",
            help="replace whatever the database holds (every table the backup covers, and "
                 "the sign-in sessions, is emptied first) and write the backup's files over "
                 "the media folder's")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            summary = restore(archive, media_root=Path(settings.MEDIA_ROOT),
                              replace=options["replace"], say=self.stdout.write)
        except (BackupError, DatabaseError, OSError) as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        self.stdout.write(
            f"Restored {summary.rows} rows of {len(summary.tables)} tables and "
            f"{len(summary.files)} media files ({summary.media_bytes / 1e6:.1f} MB); every "
            "row and file matches the backup. If this Stride is newer than the backup, run "
            "manage.py migrate now.")
