"""The append-only audit trail.

An :class:`AuditEvent` is written for every read and write of patient data, every sign-in
and every failed sign-in. Events are never changed or deleted: the model refuses it, its
query set refuses bulk updates and deletes, and database triggers (see migration 0002)
refuse it even for raw SQL.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class AuditImmutableError(AppendOnlyError):
    """Raised on any attempt to change or delete an audit event."""

    code = "audit-immutable"


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("sign-in")
    LOGOUT = "logout", _("sign-out")
    FAILED_LOGIN = "failed-login", _("failed sign-in")


class Outcome(models.TextChoices):
    OK = "ok", _("allowed")
    DENIED = "denied", _("denied: not the user's")
    NOT_FOUND = "not-found", _("denied: does not exist")
    LOCKED = "locked", _("denied: locked out")


class ObjectType(models.TextChoices):
    """What an audit event is about: one name per kind of record, page or file.

    The value is stored; a new kind of record adds a member here, so the trail never holds
    a type nobody can look up.
    """

    ACCOUNT = "account", _("user account")
    ADVERSE_EVENT = "adverse-event", _("adverse event")
    ASSESSMENT = "assessment", _("assessment")
    ASSESSMENT_ENTERED_IN_ERROR = "assessment-entered-in-error", _(
        "assessment marked entered in error")
    CARE_TEAM = "care-team", _("care team")
    CASE = "case", _("case")
    CASE_LIST = "case-list", _("list of cases")
    CONSENT = "consent", _("consent")
    CONSULTATION = "consultation", _("consultation")
    CONSULTATION_SLOT = "consultation-slot", _("consultation slot")
    COST_ESTIMATE = "cost-estimate", _("cost estimate")
    DECISION = "decision", _("candidacy decision")
    DOCUMENT = "document", _("document")
    EMAIL = "email", _("e-mail")
    EPISODE_ENTERED_IN_ERROR = "episode-entered-in-error", _(
        "treatment episode marked entered in error")
    FHIR_BUNDLE = "fhir-bundle", _("FHIR record bundle")
    FHIR_IMPORT = "fhir-import", _("FHIR bundle import")
    FOLLOWUP_DUE = "followup-due", _("follow-up visits due")
    FOLLOWUP_VISIT = "followup-visit", _("follow-up visit")
    GUARDIAN = "guardian", _("guardian")
    INQUIRY = "inquiry", _("inquiry")
    LETTER = "letter", _("letter")
    MESSAGE = "message", _("message")
    MESSAGES_READ = "messages-read", _("messages marked read")
    NOTIFICATION = "notification", _("notification")
    NOTIFICATION_PREFERENCES = "notification-preferences", _("notification e-mail choices")
    PARTNER_ACCESS = "partner-access", _("partner system's access to a child")
    PARTNER_SYSTEM = "partner-system", _("partner system")
    PASSWORD = "password", _("password")
    PASSWORD_RESET = "password-reset", _("password-reset link")
    PATIENT = "patient", _("child")
    POSSIBLE_DUPLICATE = "possible-duplicate", _("possible duplicate")
    PUBLIC_PROFILE = "public-profile", _("public staff profile")
    RECOVERY_CODES = "recovery-codes", _("recovery codes")
    REGISTRY_CLAIM = "registry-claim", _("claims check")
    REGISTRY_EXPORT = "registry-export", _("registry export file")
    REGISTRY_EXPORTS = "registry-exports", _("registry exports page")
    REGISTRY_REFRESH = "registry-refresh", _("registry refresh")
    REGISTRY_REPORT = "registry-report", _("cohort report")
    ROOTLET_DECISION = "rootlet-decision", _("rootlet decision")
    ROOTLET_SESSION = "rootlet-session", _("rootlet session")
    ROOTLET_SESSION_LIST = "rootlet-session-list", _("list of rootlet sessions")
    ROOTLET_STIMULATION = "rootlet-stimulation", _("rootlet stimulation")
    SECOND_FACTOR = "second-factor", _("second sign-in factor")
    SIGN_IN_LINK = "sign-in-link", _("sign-in link")
    STORY = "story", _("family story")
    STORY_MEDIA = "story-media", _("family story picture or video")
    STORY_PUBLIC = "story-public", _("published family story (public page)")
    SYNTHETIC_REGISTRY = "synthetic-registry", _("synthetic registry")
    TEAM_NOTE = "team-note", _("team note")
    TRAVEL_PLAN = "travel-plan", _("travel plan")
    TRAVELLER = "traveller", _("traveller")
    TREATMENT_EPISODE = "treatment-episode", _("treatment episode")
    TRIAGE_QUEUE = "triage-queue", _("triage queue")


class AuditEvent(AppendOnlyModel):
    """One audited action.

    ``patient_id`` is a plain integer rather than a foreign key so that the trail never
    cascades or blocks with patient rows, and ``actor_label`` keeps the user name as typed
    (also for failed sign-ins with a name that matches no account).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OK)
    object_type = models.CharField(max_length=64, choices=ObjectType.choices)
    object_id = models.CharField(max_length=150, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)

    refusal_error = AuditImmutableError
    refusal = "Audit events are append-only"
    objects: ClassVar[AppendOnlyQuerySet[AuditEvent]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-at", "-id")
        indexes = (
            models.Index(fields=("action", "object_id", "at"), name="audit_action_object_at"),
            models.Index(fields=("action", "ip", "at"), name="audit_action_ip_at"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"
