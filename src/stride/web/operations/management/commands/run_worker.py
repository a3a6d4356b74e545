"""``manage.py run_worker``: the background worker (e-mails and reminders), until SIGTERM."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stride.web.operations.worker import Worker


class Command(BaseCommand):
    help = ("Run the background worker: deliver queued e-mails and send follow-up and "
            "consultation reminders on schedule. Stops cleanly on SIGTERM or Ctrl-C; any "
            "number of workers may run side by side.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true",
            help="run every job once now (those another worker is running are skipped), "
                 "then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker()
        if options["once"]:
            try:
                done = worker.run_due(due_only=False)
            finally:
                worker.sign_off()
            for name, result in done.items():
                self.stdout.write(f"{name}: {result}")
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            self.stderr.write(f"{signal.Signals(signum).name}: stopping after the task in hand")
            worker.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.run_forever()
