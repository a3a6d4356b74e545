"""``manage.py send_consultation_reminders``: remind both sides of consultations due soon."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stride.web.evaluation.services import send_due_reminders


class Command(BaseCommand):
    help = "E-mail reminders of video consultations starting soon (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
