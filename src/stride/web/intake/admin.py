"""Administrators decide which coordinators receive which programme's new inquiries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.intake.models import IntakeRota


@admin.register(IntakeRota)
class IntakeRotaAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The intake rota: one row per programme and coordinator (no patient data here)."""

    list_display = ("programme", "coordinator")
    list_filter = ("programme",)
    ordering = ("programme", "coordinator__username")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any,
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "coordinator":
            # Only active coordinators receive inquiries; nobody else may be on the rota.
            kwargs["queryset"] = User.objects.filter(role=Role.COORDINATOR.value,
                                                     is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[IntakeRota]:
        return super().get_queryset(request).select_related("coordinator")
