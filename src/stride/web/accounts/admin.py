"""Admin site registrations: accounts and the (read-only) audit trail only.

Patient records are deliberately not in the admin: every read of patient data must go
through the access layer and be audited, and the admin site bypasses both. The accounts
it does show include guardians' names and e-mail addresses, so every list and every
account page an administrator opens is a ``read`` in the audit trail (one event per
account shown), and every change, password set and second factor removed is written there
too. django-otp's own device pages are not registered: secrets are never shown, and an
administrator removes a lost phone's factors with the audited action on the user list.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from stride.web.accounts import mfa
from stride.web.accounts.forms import ThrottledAdminAuthenticationForm
from stride.web.accounts.models import User
from stride.web.accounts.throttle import normalise_username
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_each

admin.site.login_form = ThrottledAdminAuthenticationForm
admin.site.site_header = "Stride administration"

for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


def _admin(request: HttpRequest) -> User:
    """The administrator at work (the admin site lets nobody else in)."""
    return cast(User, request.user)


def _account_id(user: User) -> str:
    return normalise_username(user.get_username())


@admin.register(User)
class StrideUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    readonly_fields = ("second_factors",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Stride", {"fields": ("role", "second_factors")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Stride", {"fields": ("role",)}),
    )
    actions = ("remove_second_factors",)

    @admin.display(description=_("second factors"))
    def second_factors(self, user: User) -> str:
        if user.pk is None:
            return "–"
        kinds = ", ".join(str(factor.kind) for factor in mfa.factors(user)) or "–"
        return gettext("%(kinds)s; recovery codes left: %(codes)s") % {
            "kinds": kinds, "codes": mfa.recovery_codes_left(user)}

    # --- reads --------------------------------------------------------------------------

    def changelist_view(self, request: HttpRequest,
                        extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None and response.status_code == 200:
            record_each(actor=_admin(request), action=Action.READ, object_type=ObjectType.ACCOUNT,
                        objects=[(_account_id(user), None) for user in changelist.result_list])
        return response

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = self.get_object(request, unquote(object_id))
        if user is not None:
            record(actor=_admin(request), action=Action.READ, object_type=ObjectType.ACCOUNT,
                   object_id=_account_id(user))
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request: HttpRequest, object_id: str,
                     extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = self.get_object(request, unquote(object_id))
        if user is not None:
            record(actor=_admin(request), action=Action.READ, object_type=ObjectType.ACCOUNT,
                   object_id=_account_id(user))
        return super().history_view(request, object_id, extra_context)

    # --- writes -------------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(actor=_admin(request), action=Action.UPDATE if change else Action.CREATE,
               object_type=ObjectType.ACCOUNT, object_id=_account_id(obj))

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        record(actor=_admin(request), action=Action.DELETE, object_type=ObjectType.ACCOUNT,
               object_id=_account_id(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        record_each(actor=_admin(request), action=Action.DELETE, object_type=ObjectType.ACCOUNT,
                    objects=[(_account_id(user), None) for user in queryset])
        super().delete_queryset(request, queryset)

    def user_change_password(self, request: HttpRequest, id: str,
                             form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        user = self.get_object(request, unquote(id))
        if user is not None:
            changed = request.method == "POST" and isinstance(response, HttpResponseRedirect)
            record(actor=_admin(request), action=Action.UPDATE if changed else Action.READ,
                   object_type=ObjectType.PASSWORD if changed else ObjectType.ACCOUNT,
                   object_id=_account_id(user))
        return response

    @admin.action(description=_("Remove the second factors (the user sets up new ones)"))
    def remove_second_factors(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            mfa.remove_all(user, by=_admin(request))
        self.message_user(request, gettext("Accounts whose second factors were removed: "
                                           "%(count)s.") % {"count": len(users)},
                          messages.SUCCESS)
