"""``manage.py send_outgoing_mail``: try every queued e-mail that is still pending."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from stride.web.platform.mail import deliver_pending
from stride.web.platform.request_origin import audit_context


class Command(BaseCommand):
    help = "Deliver the queued e-mails that are still pending (failed or not yet tried)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_context(request_id="send-outgoing-mail", ip=None):
            sent = deliver_pending()
        self.stdout.write(f"{sent} e-mail(s) sent.")
