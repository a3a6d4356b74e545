"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn and py_webauthn.

The library does every cryptographic check (challenge, origin, relying-party id, signature,
sign count). Stride adds around its JSON endpoints: staff only, the password first (never
a passwordless sign-in), an audit event for every passkey added, used or refused, and the
origin rule below.

Relying party: ``OTP_WEBAUTHN_RP_ID`` (``STRIDE_WEBAUTHN_RP_ID``, by default the first
allowed host; ``localhost`` in demo and tests) and the origins
``OTP_WEBAUTHN_ALLOWED_ORIGINS`` (``STRIDE_WEBAUTHN_ORIGINS``, by default ``https://`` and
each allowed host). Outside production the page's own origin is accepted too when its host
is the relying-party id, so that ``http://localhost`` on any port (the demo, a test
server) works; in production only the configured origins do.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from stride.web.accounts import mfa
from stride.web.accounts.throttle import normalise_username
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record


class StrideWebAuthnHelper(WebAuthnHelper):  # type: ignore[misc]
    """The library's helper with Stride's origin rule (see the module's text)."""

    def get_allowed_origins(self) -> list[str]:
        origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        if not settings.IS_PRODUCTION:
            host = self.request.get_host()  # validated against ALLOWED_HOSTS
            hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if hostname == self.get_relying_party_domain():
                origins.append(f"{self.request.scheme}://{host}")
        return origins


class StaffOnly(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_code = "staff_only"
    default_detail = _("Passkeys are for staff accounts.")


class NotAllowedNow(exceptions.OTPWebAuthnApiError):  # type: ignore[misc]
    status_code = 403
    default_code = "verify_first"
    default_detail = _("Pass your second factor first, then add another.")


def _staff(request: HttpRequest) -> Any:
    """The signed-in staff member (password passed), or the API's refusal."""
    if not request.user.is_authenticated:
        raise exceptions.NotAuthenticated()
    if not mfa.may_use(request.user):
        raise StaffOnly()
    return request.user


@method_decorator(never_cache, name="dispatch")
class RegisterBegin(BeginCredentialRegistrationView):  # type: ignore[misc]
    """Options for ``navigator.credentials.create()``: staff who may add a factor now."""

    def check_can_register(self) -> None:
        if not mfa.may_manage(self.request):
            raise NotAllowedNow()

    def get_user(self) -> Any:
        return _staff(self.request)


@method_decorator(never_cache, name="dispatch")
class RegisterComplete(CompleteCredentialRegistrationView):  # type: ignore[misc]
    """Checks and stores the new passkey (named from ``?name=``), audited."""

    def check_can_register(self) -> None:
        if not mfa.may_manage(self.request):
            raise NotAllowedNow()

    def get_user(self) -> Any:
        return _staff(self.request)

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        user = self.get_user()
        was_verified = mfa.session_verified(self.request)
        try:
            response: JsonResponse = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            record(actor=user, action=Action.CREATE, object_type=ObjectType.SECOND_FACTOR,
                   object_id=f"{mfa.Kind.PASSKEY}:-", outcome=Outcome.DENIED)
            raise
        device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
        name = " ".join(self.request.GET.get("name", "").split())[:64]
        device.name = name or str(_("Passkey"))
        device.save(update_fields=["name"])
        record(actor=user, action=Action.CREATE, object_type=ObjectType.SECOND_FACTOR,
               object_id=mfa.audit_id(device))
        if not was_verified:
            # The library marked the session verified with the new passkey: a new session key.
            self.request.session.cycle_key()
        return response


@method_decorator(never_cache, name="dispatch")
class VerifyBegin(BeginCredentialAuthenticationView):  # type: ignore[misc]
    """Options for ``navigator.credentials.get()``: only after the password."""

    def check_can_authenticate(self) -> None:
        _staff(self.request)


@method_decorator(never_cache, name="dispatch")
class VerifyComplete(CompleteCredentialAuthenticationView):  # type: ignore[misc]
    """Checks the passkey's answer; the session is then verified. Audited either way."""

    def check_can_authenticate(self) -> None:
        _staff(self.request)

    def complete_auth(self, device: Any) -> None:
        mfa.mark_verified(self.request, device)

    def get_redirect_url(self) -> str:
        target = self.request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            url=target, allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure())
        return target if safe else ""

    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        user = self.request.user
        try:
            response: JsonResponse = super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            record(actor=user, action=Action.FAILED_LOGIN, object_type=ObjectType.SECOND_FACTOR,
                   object_id=normalise_username(user.get_username()), outcome=Outcome.DENIED)
            raise
        device = getattr(user, "otp_device", None)
        record(actor=user, action=Action.LOGIN, object_type=ObjectType.SECOND_FACTOR,
               object_id=mfa.audit_id(device))
        return response
