"""Admin site registrations: accounts and the (read-only) audit trail only.

Patient records are deliberately not in the admin: every read of patient data must go
through the access layer and be audited, and the admin site bypasses both.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from stride.web.accounts.forms import ThrottledAdminAuthenticationForm
from stride.web.accounts.models import User

admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = "Stride administration"


@admin.register(User)
class StrideUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Stride", {"fields": ("role",)}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Stride", {"fields": ("role",)}),
    )
