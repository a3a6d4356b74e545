"""Sign-in form with throttling."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from stride.web.accounts.throttle import is_locked, normalise_username
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.request_origin import current_origin

_INVALID_LOGIN = _(
    "The user name or password is not right. Check both and try again; "
    "after several failed attempts, sign-in is paused for a while."
)
_LOCKED = _(
    "Too many failed sign-in attempts. Sign-in for this account is paused for "
    "%(minutes)s minutes; try again later or ask an administrator."
)


class ThrottleMixin(forms.Form):
    """Refuses locked user names and addresses before any password is checked."""

    cleaned_data: dict[str, Any]
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and is_locked(username, current_origin().ip):
            record(actor=None, action=Action.FAILED_LOGIN, object_type=ObjectType.ACCOUNT,
                   object_id=normalise_username(username), actor_label=username,
                   outcome=Outcome.LOCKED)
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked",
                params={"minutes": settings.STRIDE_LOGIN_LOCKOUT_MINUTES},
            )
        super().clean()
        return self.cleaned_data


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    """Django's sign-in form with throttling and Stride's wording."""

    error_messages = {
        **AuthenticationForm.error_messages, "invalid_login": _INVALID_LOGIN, "locked": _LOCKED,
    }


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    """The admin site's sign-in form with the same throttling."""

    error_messages = {**AdminAuthenticationForm.error_messages, "locked": _LOCKED}
