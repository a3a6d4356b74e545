"""Administrators enter the programme's public content here: questions and answers, cost
ranges and travel help, each with its words per language (one inline row a language).

Staff profiles are not edited here: each member of staff writes and consents to their
own on the "Your public profile" page; administrators see the list (read only).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stride.web.site.forms import CostRangeAdminForm
from stride.web.site.models import (
    CostRange,
    CostRangeText,
    Question,
    QuestionText,
    StaffProfile,
    TravelHelp,
    TravelHelpText,
)


class QuestionTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = QuestionText
    extra = 1


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    inlines = [QuestionTextInline]
    list_display = ("__str__", "order", "published", "is_synthetic")
    list_editable = ("order", "published")


class CostRangeTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = CostRangeText
    extra = 1


@admin.register(CostRange)
class CostRangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = CostRangeAdminForm
    inlines = [CostRangeTextInline]
    list_display = ("__str__", "valid_from", "published", "is_synthetic")


class TravelHelpTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = TravelHelpText
    extra = 1


@admin.register(TravelHelp)
class TravelHelpAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    inlines = [TravelHelpTextInline]
    list_display = ("__str__", "order", "published", "is_synthetic")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who has a public profile and whether it is shown; only its owner changes it."""

    list_display = ("display_name", "role_title", "consented_at", "consent_withdrawn_at")
    fields = ("display_name", "role_title", "consent_text_version", "consented_at",
              "consent_withdrawn_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
