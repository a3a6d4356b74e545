"""Notices to one person: what happened on a case, where to look, whether it was read.

A :class:`Notification` holds no health detail: its kind, the case's reference and the
few words its sentence needs (a letter's kind, "moved" or "cancelled"), and the path of
the in-app page it opens, which checks access again when followed. The sentence itself is
written when shown (:mod:`stride.web.notifications.words`), in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import Case


class Kind(models.TextChoices):
    """What a notice is about; the label names it on the preferences page."""

    NEW_INQUIRY = "new-inquiry", _("A new inquiry in my queue")
    FAMILY_MESSAGE = "family-message", _("A message from a family")
    FAMILY_DOCUMENT = "family-document", _("A document sent by a family")
    CARE_TEAM = "care-team", _("Changes to my place on a care team")
    ESTIMATE_ANSWERED = "estimate-answered", _("A family's answer to a cost estimate")
    FOLLOWUP_ANSWERED = "followup-answered", _("Follow-up answers sent by a family")
    ADVERSE_EVENT = "adverse-event", _("A problem after treatment reported by a family")
    PROGRAMME_MESSAGE = "programme-message", _("A message from the programme")
    DECISION_SIGNED = "decision-signed", _("A decision about treatment")
    LETTER_ISSUED = "letter-issued", _("A new letter")
    ESTIMATE_ISSUED = "estimate-issued", _("A cost estimate")
    CONSULTATION = "consultation", _("A video consultation booked, moved or cancelled")
    STORY = "story", _("A family story to read, approve or check, published or withdrawn")


#: The kinds staff receive and the kinds families receive (for the preferences page).
STAFF_KINDS = (Kind.NEW_INQUIRY, Kind.FAMILY_MESSAGE, Kind.FAMILY_DOCUMENT, Kind.CARE_TEAM,
               Kind.ESTIMATE_ANSWERED, Kind.CONSULTATION, Kind.FOLLOWUP_ANSWERED,
               Kind.ADVERSE_EVENT, Kind.STORY)
FAMILY_KINDS = (Kind.PROGRAMME_MESSAGE, Kind.DECISION_SIGNED, Kind.LETTER_ISSUED,
                Kind.ESTIMATE_ISSUED, Kind.CONSULTATION, Kind.STORY)


class Notification(models.Model):
    """One notice to ``recipient``; unread while ``read_at`` is empty."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="notifications")
    #: The case's child, for the audit trail of every read (no join needed).
    patient_id = models.BigIntegerField(null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    #: The words the sentence needs besides the kind: ``reference`` and, by kind,
    #: ``change``, ``letter_kind``, ``accepted``, ``question``. Never health detail.
    args = models.JSONField(default=dict)
    urgent = models.BooleanField(_("urgent"), default=False)
    #: The in-app page the notice opens (a path on this site, such as /portal/cases/3/).
    link = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    #: Whether an e-mail was queued for it (the recipient's preferences, urgency).
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (
            models.Index(fields=("recipient", "read_at"), name="notification_unread"),
            models.Index(fields=("recipient", "-created_at"), name="notification_inbox"),
        )

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class EmailChoice(models.TextChoices):
    """Which notices someone also receives by e-mail (urgent ones always are)."""

    CHOSEN = "chosen", _("E-mail me about the kinds of notice ticked below")
    URGENT_ONLY = "urgent-only", _("E-mail me only about urgent notices")


class NotificationPreference(models.Model):
    """Someone's e-mail choices; without a row, every notice is e-mailed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email = models.CharField(_("e-mail"), max_length=16, choices=EmailChoice.choices,
                             default=EmailChoice.CHOSEN)
    #: Kinds (``Kind`` values) not to e-mail while ``email`` is ``chosen``.
    muted_kinds = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"notification preference of {self.user_id}"

    def wants_email(self, kind: str, *, urgent: bool) -> bool:
        """Whether a notice of ``kind`` goes by e-mail too; urgent ones always do."""
        if urgent:
            return True
        if self.email == EmailChoice.URGENT_ONLY:
            return False
        return kind not in self.muted_kinds
