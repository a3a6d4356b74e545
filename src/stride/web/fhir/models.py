"""Tables of the fhir app: partner systems, their access to children, staged imports.

A partner system (a referring hospital, a hospital taking over care) reads children's
records through the read-only FHIR endpoint with one bearer token. Only the token's
SHA-256 is stored (as for the operating-room device token); the token itself is shown
once, when it is made. Which children a system may read is one :class:`PartnerAccess` row
per (system, child), granted by a coordinator of the child's care team with a reason and
revoked (never deleted) when it ends.

An uploaded Bundle waits in a :class:`BundleUpload` row until the coordinator who sent it
confirms or discards it: nothing of it is stored as a record before the confirmation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import Case, Patient


class PartnerSystem(models.Model):
    """A hospital's system allowed to read the FHIR endpoint (one token each)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact = models.CharField(
        _("contact"), max_length=300,
        help_text=_("Who answers for this system: a name with an e-mail address or telephone."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(_("active"), default=True)
    #: Hex SHA-256 of the bearer token (tokens are 256-bit random); empty: no token works.
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class AccessQuerySet(models.QuerySet["PartnerAccess"]):
    def current(self) -> AccessQuerySet:
        """The grants in force (not revoked)."""
        return self.filter(revoked_at__isnull=True)


class PartnerAccess(models.Model):
    """A partner system may read one child's record, from ``granted_at`` until revoked."""

    system = models.ForeignKey(PartnerSystem, on_delete=models.PROTECT, related_name="grants")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    #: The case from whose page the grant was made (the coordinator's care team).
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    revocation_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ("granted_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("system", "patient"),
                                    condition=models.Q(revoked_at__isnull=True),
                                    name="fhir_one_grant_in_force"),
        )

    def __str__(self) -> str:
        return f"{self.system} reads {self.patient_id}"


class BundleUpload(models.Model):
    """A referring hospital's Bundle uploaded by a coordinator, waiting for review.

    The JSON text is kept as uploaded and parsed again on confirmation; the row is deleted
    when the import is confirmed or discarded, so no clinical content stays here.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    original_name = models.CharField(max_length=255, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ("-uploaded_at",)

    def __str__(self) -> str:
        return f"upload {self.id}"
