"""``manage.py send_followup_reminders``: e-mail families of visits due soon, once each."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from stride.web.followup.services import send_reminders


class Command(BaseCommand):
    help = "E-mail reminders for follow-up visits due within 14 days; safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders(now=timezone.now())
        self.stdout.write(f"{sent} visit reminder(s) sent.")
