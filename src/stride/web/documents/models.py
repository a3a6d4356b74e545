"""The case's papers: files sent about a child and letters issued to the family.

Both are kept outside the web root and served only through access checks. A
:class:`Document` row describes one file in the media folder (``settings.MEDIA_ROOT``).
The stored name is random, never the name the family chose; the original name is kept for
display only. The type is the one detected from the file's content, not from its name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import Case, Guardian, Patient


class DocumentKind(models.TextChoices):
    MRI_REPORT = "mri-report", _("MRI report")
    MRI_IMAGE = "mri-image", _("MRI image")
    WALKING_VIDEO = "walking-video", _("Walking video")
    MEDICAL_RECORD = "medical-record", _("Other medical record")


class Document(models.Model):
    """One file about a child, sent by a guardian or a member of the care team."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="documents")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    #: Random file name under MEDIA_ROOT (with the extension of the detected type).
    stored_name = models.CharField(max_length=100, unique=True)
    #: The name the sender's device gave the file, cleaned; for display only.
    original_name = models.CharField(_("file name"), max_length=255)
    #: Media type detected from the content (``application/pdf``, ``video/mp4``, ...).
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    #: Whether image metadata (EXIF, GPS position) was removed before storing.
    metadata_removed = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(default=timezone.now)
    #: Who sent it: a signed-in user, or the guardian who filled in the public form.
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_by_guardian = models.ForeignKey(Guardian, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    INFORMATION_REQUEST = "information-request", _("Request for information")
    VISA_INVITATION = "visa-invitation", _("Visa invitation")
    DECLINE = "decline", _("Decline")
    DECISION = "decision", _("Treatment decision")
    COST_ESTIMATE = "cost-estimate", _("Cost estimate")


class Letter(models.Model):
    """A letter to the family, kept exactly as issued.

    ``html`` is the letter as rendered when it was issued (in ``language``), so that a later
    change of a template or of the case never changes a letter already sent; the PDF made
    from it is stored (platform storage, ``letters/`` folder) as ``pdf_name``.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=24, choices=LetterKind.choices)
    language = models.CharField(_("language"), max_length=10)
    html = models.TextField()
    pdf_name = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("issued_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} letter for {self.case}"
