"""Sign-in with throttling, the second-factor code, and password reset by the platform's mail."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timesince import timeuntil
from django.utils.translation import gettext_lazy as _

from stride.web.accounts.throttle import normalise_username, wait_before_next_try
from stride.web.platform import ratelimit
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.mail import send_mail
from stride.web.platform.request_origin import current_origin

_INVALID_LOGIN = _(
    "The user name or password is not right. Check both and try again; "
    "after several failed attempts, sign-in is paused for a while."
)
_LOCKED = _(
    "Too many failed sign-in attempts. Wait %(wait)s, then try again; "
    "an administrator can help if this keeps happening."
)


def wait_in_words(wait: timedelta) -> str:
    """A wait as the reader says it ("3 minutes"), rounded up to whole minutes."""
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    now = timezone.now()
    return timeuntil(now + timedelta(minutes=minutes), now, depth=1)


class ThrottleMixin(forms.Form):
    """Refuses a name and address that must wait, before any password is checked."""

    cleaned_data: dict[str, Any]
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            wait = wait_before_next_try(username, current_origin().ip)
            if wait is not None:
                record(actor=None, action=Action.FAILED_LOGIN, object_type=ObjectType.ACCOUNT,
                       object_id=normalise_username(username), actor_label=username,
                       outcome=Outcome.LOCKED)
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"wait": wait_in_words(wait)},
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


class SecondFactorCodeForm(forms.Form):
    """A six-digit code from an authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class AuthenticatorConfirmForm(forms.Form):
    """The first code an authenticator app shows, to prove it was set up."""

    code = forms.CharField(
        label=_("Six-digit code from the app"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _reset_requests_per_address() -> ratelimit.Limit:
    return ratelimit.Limit("password-reset-email", settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def _reset_requests_per_client() -> ratelimit.Limit:
    # A hospital's shared address: several staff may forget a password on the same morning.
    return ratelimit.Limit("password-reset-client",
                           4 * settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


class StridePasswordResetForm(PasswordResetForm):
    """Asks for a reset link by e-mail address; answers the same whether or not it exists.

    The e-mail goes through the platform's mail (queued in the transaction, in the
    recipient's language, its delivery audited); the link is Django's signed token, which
    stops working once the password changes (single use) or after
    ``STRIDE_PASSWORD_RESET_MINUTES``. Requests are counted per e-mail address and per
    client address and refused quietly beyond the limit.
    """

    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def save(self, *args: Any, request: Any = None, language: str | None = None,
             **kwargs: Any) -> None:
        email = self.cleaned_data["email"].strip().lower()
        key = ratelimit.key_of(email)
        client = current_origin().ip
        if ratelimit.exceeded(_reset_requests_per_address(), email) or (
                client is not None and ratelimit.exceeded(_reset_requests_per_client(), client)):
            record(actor=None, action=Action.CREATE, object_type=ObjectType.PASSWORD_RESET,
                   object_id=key, outcome=Outcome.LOCKED)
            return
        ratelimit.hit(_reset_requests_per_address(), email)
        if client is not None:
            ratelimit.hit(_reset_requests_per_client(), client)
        users = list(self.get_users(email))
        if not users:
            record(actor=None, action=Action.CREATE, object_type=ObjectType.PASSWORD_RESET,
                   object_id=key, outcome=Outcome.NOT_FOUND)
            return
        for user in users:
            path = reverse("accounts:password-reset-confirm", kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            })
            link = request.build_absolute_uri(path) if request is not None else path
            send_mail(
                to=user.email, language=user.language or language,
                template="accounts/email/password_reset",
                context={"link": link, "username": user.get_username(),
                         "minutes": settings.STRIDE_PASSWORD_RESET_MINUTES},
                expires_in=timedelta(minutes=settings.STRIDE_PASSWORD_RESET_MINUTES),
            )
            record(actor=user, action=Action.CREATE, object_type=ObjectType.PASSWORD_RESET,
                   object_id=normalise_username(user.get_username()))
