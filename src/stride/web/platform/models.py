"""The platform's own tables: the outgoing mail queue and the programme's profile."""

from __future__ import annotations

import base64
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    EXPIRED = "expired", "expired"
    GAVE_UP = "gave-up", "gave up"


class OutgoingMail(models.Model):
    """One e-mail, queued in the transaction that decided to send it.

    It is delivered once that transaction commits and retried until it is sent, expires or
    has failed :data:`stride.web.platform.mail.MAX_ATTEMPTS` times; a failure is logged,
    never lost. Once sent (or expired) the body is cleared: a sign-in link or a notice
    must not linger in the database.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    to = models.EmailField(max_length=254)
    language = models.CharField(max_length=16)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    #: What the e-mail is for (a template name, e.g. "intake/email/acknowledgement").
    purpose = models.CharField(max_length=100)
    #: The child the e-mail concerns, for the audit trail (never shown).
    patient_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=MailStatus.choices,
                              default=MailStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: After this moment the e-mail is no use (a sign-in link): it is dropped, not sent.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to} ({self.status})"


class RateHit(models.Model):
    """One counted attempt of a rate limit (:mod:`stride.web.platform.ratelimit`).

    ``key`` is a keyed hash of what is counted (a user name, an e-mail address, a client
    address): the address itself is never stored here.
    """

    bucket = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = (models.Index(fields=("bucket", "key", "at"), name="ratehit_bucket_key_at"),)

    def __str__(self) -> str:
        return f"{self.bucket} {self.key[:8]} {self.at:%Y-%m-%d %H:%M:%S}"


class ProgrammeProfile(models.Model):
    """Who the programme is: the one row every letter, e-mail and public page takes its
    letterhead, contacts and signatory from (``stride.web.platform.profile``).

    Administrators edit it in the admin. Nothing here is invented: a field left empty is
    left out of letters and pages, never replaced by a made-up value.
    """

    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True,
                                  help_text=_("As families call it; the legal name when empty."))
    address = models.TextField(_("postal address"), blank=True,
                               help_text=_("As it is written on an envelope, one line each."))
    country = models.CharField(_("country"), max_length=2, blank=True,
                               help_text=_("ISO 3166 code of the country the address is in."))
    phones = models.TextField(_("telephone numbers"), blank=True,
                              help_text=_("One per line, in international form, e.g. "
                                          "+359 2 123 4567 (international office)."))
    whatsapp = models.CharField(_("WhatsApp number"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(max_length=40, blank=True, editable=False)
    signatory_name = models.CharField(_("signatory"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=160, blank=True)
    registration_numbers = models.TextField(
        _("registration numbers"), blank=True,
        help_text=_("Company, health-authority and tax numbers, one per line."))
    bank_details = models.TextField(_("bank details for estimates"), blank=True)
    language = models.CharField(
        _("programme's language"), max_length=16, default="en",
        help_text=_("Letters to consulates are written in this language as well as the "
                    "family's."))
    is_synthetic = models.BooleanField(
        default=False, help_text=_("Demo data: letters say it is a synthetic example."))
    # The programme's own rate of rise of a hip's migration percentage that flags the hip
    # (stride.core.followup.hips.HipRisePolicy). No published rate exists, so there is no
    # default: empty means no hip is flagged for its rate.
    hip_rise_points_per_year = models.DecimalField(
        _("hip migration: flag a rise faster than (percentage points per year)"),
        max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("100"))],
        help_text=_("Programme policy: no published source gives such a rate. Leave empty "
                    "and no hip is flagged for how fast it rises (the published thresholds "
                    "of 30 and 33 percent migration still apply)."))
    hip_rise_policy_version = models.PositiveSmallIntegerField(
        _("version of the hip rise rate"), null=True, blank=True,
        help_text=_("Start at 1; raise it whenever the rate changes, so each flag names the "
                    "rate it was judged by."))
    hip_rise_policy_set_by = models.TextField(
        _("hip rise rate set by"), blank=True,
        help_text=_("Who set the rate, when and why, in plain words: shown beside every "
                    "flag it raises."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme profile")
        verbose_name_plural = _("programme profile")

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        """Refuse a hip rise rate without its version or its author, or a changed rate
        under the version it had (every flag names the rate it was judged by)."""
        super().clean()
        if self.hip_rise_points_per_year is None:
            return
        errors: dict[str, str] = {}
        if self.hip_rise_policy_version is None:
            errors["hip_rise_policy_version"] = gettext(
                "Give the rate a version (1 for the first rate).")
        if not self.hip_rise_policy_set_by.strip():
            errors["hip_rise_policy_set_by"] = gettext(
                "Say who set the rate and why: it is the programme's policy, not a "
                "published threshold.")
        if self.pk is not None and self.hip_rise_policy_version is not None:
            before = (ProgrammeProfile.objects.filter(pk=self.pk)
                      .values_list("hip_rise_points_per_year", "hip_rise_policy_version")
                      .first())
            if (before is not None and before[0] is not None and before[1] is not None
                    and before[0] != self.hip_rise_points_per_year
                    and self.hip_rise_policy_version <= before[1]):
                errors["hip_rise_policy_version"] = gettext(
                    "The rate changed: raise its version above %(version)s.") % {
                        "version": before[1]}
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        return self.short_name or self.legal_name

    def lines(self, field: str) -> list[str]:
        """The non-empty lines of a multi-line field (address, phones, numbers)."""
        return [line.strip() for line in str(getattr(self, field)).splitlines() if line.strip()]

    @property
    def logo_data_uri(self) -> str:
        """The logo as a ``data:`` URI (letters are printed without network access), or ""."""
        if not self.logo:
            return ""
        return f"data:{self.logo_content_type};base64,{base64.b64encode(bytes(self.logo)).decode()}"
