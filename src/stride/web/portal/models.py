"""One-time sign-in links for the guardian portal.

Only a SHA-256 hash of the token is stored: the link in the e-mail is the only copy of the
token, so a copy of the database cannot be used to sign in. A link works once, until it
expires.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SignInLink(models.Model):
    """A one-time sign-in link e-mailed to a guardian."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return f"sign-in link for {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"
