"""Tables of the stories app: a family's story, its texts per language, its pictures and
videos, and the append-only reviews (checklist ticks, family approvals, clinician checks).

A story hangs from a case. Its public address is a random slug, never derived from the
child's name; publicly it shows a pseudonym (an initial or a chosen name) and a country,
the finest place the de-identification rules allow (:mod:`stride.core.stories`).
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.core.stories import ChecklistItem, StoryStatus
from stride.web.documents.models import Document
from stride.web.patients.models import Case, Guardian
from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


def new_slug() -> str:
    """A random public address part (12 lowercase hex digits), saying nothing of the child."""
    return secrets.token_hex(6)


class StatusChoices(models.TextChoices):
    DRAFT = StoryStatus.DRAFT.value, _("Draft")
    AWAITING_FAMILY = StoryStatus.AWAITING_FAMILY.value, _("Waiting for the family's approval")
    AWAITING_CLINICIAN = StoryStatus.AWAITING_CLINICIAN.value, _(
        "Waiting for a clinician's check")
    READY = StoryStatus.READY.value, _("Approved and checked: ready to publish")
    PUBLISHED = StoryStatus.PUBLISHED.value, _("Published")
    WITHDRAWN = StoryStatus.WITHDRAWN.value, _("Withdrawn")


class WithdrawnHow(models.TextChoices):
    PORTAL = "portal", _("by the family in the portal")
    CONSENT = "consent-withdrawn", _("the family withdrew their consent")
    STAFF = "staff", _("by the programme")


class Story(models.Model):
    """One family's story, drafted from a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stories")
    slug = models.CharField(max_length=24, unique=True, default=new_slug, editable=False)
    status = models.CharField(max_length=24, choices=StatusChoices.choices,
                              default=StatusChoices.DRAFT)
    pseudonym = models.CharField(_("name shown"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)
    #: The content hash the current approval and check stand for (empty: none yet).
    approved_hash = models.CharField(max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_how = models.CharField(max_length=24, choices=WithdrawnHow.choices, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"story {self.slug}"

    @property
    def status_enum(self) -> StoryStatus:
        """The status as core's enum."""
        return StoryStatus(self.status)


class StoryText(models.Model):
    """The story in one language (one per language)."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("story"))

    class Meta:
        ordering = ("language",)
        constraints = (models.UniqueConstraint(fields=("story", "language"),
                                               name="story_text_one_per_language"),)

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class MediaKind(models.TextChoices):
    PHOTO = "photo", _("photo")
    VIDEO = "video", _("video")


class StoryMedia(models.Model):
    """A photo or video the family sent, as the story shows it.

    ``crop`` is one box and ``blur`` a list of boxes, each ``[left, top, width, height]`` in
    percent of the picture (:class:`stride.core.stories.Box`); ``public_name`` the processed
    file in the storage (cropped, blurred, re-encoded without metadata), empty until made
    and again once the story is withdrawn.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="media")
    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=MediaKind.choices)
    crop = models.JSONField(default=list, blank=True)
    blur = models.JSONField(default=list, blank=True)
    #: For a video without blur regions: the coordinator confirmed no face is visible.
    no_face_visible = models.BooleanField(default=False)
    alt_text = models.CharField(_("description of the picture"), max_length=300)
    public_name = models.CharField(max_length=100, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class ReviewKind(models.TextChoices):
    CHECKLIST = "checklist", _("de-identification checklist ticked")
    SENT_TO_FAMILY = "sent-to-family", _("sent to the family")
    FAMILY_APPROVED = "family-approved", _("approved by the family")
    FAMILY_ASKED_CHANGES = "family-asked-changes", _("the family asked for changes")
    CLINICIAN_AGREED = "clinician-agreed", _("medical statements checked by a clinician")
    CLINICIAN_SENT_BACK = "clinician-sent-back", _("sent back by a clinician")
    EDITED = "edited", _("edited")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class StoryReviewChangeError(AppendOnlyError):
    """Raised on any attempt to change or delete a story review."""

    code = "story-review-immutable"


class StoryReview(AppendOnlyModel):
    """One step of a story's review, never changed: who, when, what, for which content.

    ``content_hash`` is the hash of the story as it was (:func:`stride.core.stories.content_hash`);
    a family approval names the guardian and the language read; a clinician's check its
    note; a checklist row the items ticked (``items``).
    """

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=24, choices=ReviewKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey(Guardian, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    language = models.CharField(max_length=10, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)
    at = models.DateTimeField(default=timezone.now)

    refusal_error = StoryReviewChangeError
    refusal = "Story reviews are append-only"
    objects: ClassVar[AppendOnlyQuerySet[StoryReview]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("at", "id")


__all__ = ["ChecklistItem", "MediaKind", "ReviewKind", "StatusChoices", "Story", "StoryMedia",
           "StoryReview", "StoryText", "WithdrawnHow", "new_slug"]
