"""The audit trail in the admin site: read-only for administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stride.web.platform.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_label", "action", "outcome", "object_type", "object_id",
                    "patient_id", "ip", "request_id")
    list_filter = ("action", "outcome", "object_type")
    search_fields = ("actor_label", "object_id", "request_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
