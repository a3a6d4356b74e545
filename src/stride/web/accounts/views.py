"""Sign-in and sign-out, the second step, second factors, and passwords (change and reset)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from stride.core.roles import Role
from stride.web.accounts import mfa
from stride.web.accounts.forms import (
    AuthenticatorConfirmForm,
    SecondFactorCodeForm,
    StridePasswordResetForm,
    ThrottledAuthenticationForm,
    wait_in_words,
)
from stride.web.accounts.models import User
from stride.web.accounts.throttle import count_failure, normalise_username, wait_before_next_try
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.mail import send_mail
from stride.web.platform.request_origin import current_origin


def _next_url(request: HttpRequest, default: str = "") -> str:
    """The ``next`` asked for, when it stays on this site; else ``default`` (the dashboard)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': target})}" if target else url


def _staff_user(request: HttpRequest) -> User:
    """The signed-in staff member, or 404 (guardians have no second-factor pages)."""
    user = mfa.signed_in(request)
    if user is None or not mfa.may_use(user):
        raise Http404
    return user


def _signed_in(request: HttpRequest) -> User:
    user = mfa.signed_in(request)
    if user is None:
        raise Http404
    return user


# --- Sign-in -----------------------------------------------------------------------------

class LoginView(auth_views.LoginView):
    """Sign-in; says so when the user arrives because their session ended.

    After the password, a user who must pass a second factor goes to the second step
    (with the page they asked for); everyone else goes where they were going.
    """

    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # A session cookie that no longer signs anyone in means the session expired.
        context["session_ended"] = (
            self.request.method == "GET"
            and settings.SESSION_COOKIE_NAME in self.request.COOKIES
            and not self.request.user.is_authenticated
            and "next" in self.request.GET
        )
        return context

    def get_default_redirect_url(self) -> str:
        # Families land in their portal wherever they sign in: the staff dashboard is a
        # table of cases, not a family's page.
        user = self.request.user
        if user.is_authenticated and getattr(user, "role", "") == Role.GUARDIAN.value:
            return resolve_url("portal:home")
        return super().get_default_redirect_url()

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if mfa.must_verify(user):
            return HttpResponseRedirect(
                f"{reverse('accounts:verify')}?{urlencode({'next': self.get_success_url()})}")
        if mfa.may_use(user) and not mfa.has_second_factor(user):
            messages.info(self.request, _(
                "Protect your account with a second factor: an authenticator app or a "
                "passkey. Open “Sign-in security” at the top of the page."))
        return response


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only, as Django requires)."""


# --- The second step ---------------------------------------------------------------------

@never_cache
def verify(request: HttpRequest) -> HttpResponseBase:
    """After the password: a code (app or recovery) or a passkey; or set up a first factor."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': _next_url(request)})}")
    if not mfa.is_pending(request):
        return HttpResponseRedirect(_next_url(request))
    user = _staff_user(request)
    next_url = _next_url(request)
    if not mfa.has_second_factor(user):
        return render(request, "accounts/verify_setup.html", {"next": next_url})
    form = SecondFactorCodeForm(request.POST or None)
    wait = None
    if request.method == "POST" and form.is_valid():
        check = mfa.verify_code(request, form.cleaned_data["code"])
        if check.result is mfa.Result.OK:
            if check.kind is mfa.Kind.RECOVERY:
                left = mfa.recovery_codes_left(user)
                messages.warning(request, _(
                    "You used a recovery code; %(left)s are left. Make new ones on the "
                    "“Sign-in security” page if you are running low.") % {"left": left})
            return HttpResponseRedirect(next_url)
        if check.result is mfa.Result.WAIT and check.wait_until is not None:
            wait = wait_in_words(check.wait_until - timezone.now())
            form.add_error(None, _("Too many wrong codes. Wait %(wait)s, then try again.")
                           % {"wait": wait})
        else:
            form.add_error("code", _("That code is not right, or it was used already. "
                                     "Type the newest code from your app, or a recovery code."))
    has_passkey = any(f.kind is mfa.Kind.PASSKEY for f in mfa.factors(user))
    return render(request, "accounts/verify.html", {
        "form": form, "next": next_url, "has_passkey": has_passkey,
    })


# --- Managing second factors -------------------------------------------------------------

@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's second factors, recovery codes and password, with what they can change."""
    user = _staff_user(request)
    return render(request, "accounts/security.html", {
        "factors": mfa.factors(user),
        "recovery_left": mfa.recovery_codes_left(user),
        "required": mfa.is_required(user),
        "may_manage": mfa.may_manage(request),
        "next": _next_url(request, reverse("accounts:security")),
    })


def _show_new_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    response = render(request, "accounts/recovery_codes.html", {"codes": codes,
                                                                "next": next_url})
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def security_authenticator(request: HttpRequest) -> HttpResponseBase:
    """Set up an authenticator app: scan the QR code (or type the key), type its first code."""
    user = _staff_user(request)
    if not mfa.may_manage(request):
        return HttpResponseRedirect(_with_next("accounts:verify", request))
    device = mfa.start_authenticator(user)
    form = AuthenticatorConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_authenticator(request, device, form.cleaned_data["code"]):
            messages.success(request, _("The authenticator app is set up."))
            next_url = _next_url(request, reverse("accounts:security"))
            if mfa.recovery_codes_left(user) == 0:
                return _show_new_codes(request, mfa.new_recovery_codes(user), next_url)
            return HttpResponseRedirect(next_url)
        form.add_error("code", _("That code is not right. Check the app shows “Stride” and "
                                 "type its newest code."))
    response = render(request, "accounts/authenticator.html", {
        "form": form, "qr": mfa.qr_svg(device), "secret": mfa.secret_for_typing(device),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    })
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def security_passkey(request: HttpRequest) -> HttpResponseBase:
    """Add a passkey: the browser asks the device (fingerprint, face, PIN or security key)."""
    user = _staff_user(request)
    if not mfa.may_manage(request):
        return HttpResponseRedirect(_with_next("accounts:verify", request))
    next_url = _next_url(request, reverse("accounts:security"))
    if mfa.recovery_codes_left(user) == 0:
        # After the first passkey: recovery codes next (the security page offers them).
        next_url = f"{reverse('accounts:security')}?{urlencode({'next': next_url})}"
    return render(request, "accounts/passkey.html", {"next": next_url})


@never_cache
@login_required
@require_POST
def security_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make a new set of recovery codes (the old ones stop working) and show them once."""
    user = _staff_user(request)
    if not (mfa.session_verified(request) and mfa.has_second_factor(user)):
        raise Http404
    return _show_new_codes(request, mfa.new_recovery_codes(user),
                           _next_url(request, reverse("accounts:security")))


@never_cache
@login_required
@require_POST
def security_remove(request: HttpRequest) -> HttpResponse:
    """Remove one app or passkey of one's own (audited)."""
    user = _staff_user(request)
    if not mfa.session_verified(request):
        raise Http404
    if not mfa.remove_factor(user, request.POST.get("device", ""), by=user):
        raise Http404
    messages.success(request, _("The second factor was removed."))
    if mfa.is_required(user) and not mfa.has_second_factor(user):
        messages.warning(request, _("Your role needs a second factor: set up a new one now."))
    return redirect("accounts:security")


# --- Passwords ---------------------------------------------------------------------------

def _notify_password_changed(user: User) -> None:
    if user.email:
        send_mail(to=user.email, language=user.language or translation.get_language(),
                  template="accounts/email/password_changed",
                  context={"username": user.get_username()})


@method_decorator(never_cache, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password: the old one first (throttled and audited like a sign-in)."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = _signed_in(request)
        wait = wait_before_next_try(user.get_username(), current_origin().ip)
        if wait is not None:
            record(actor=user, action=Action.UPDATE, object_type=ObjectType.PASSWORD,
                   object_id=normalise_username(user.get_username()), outcome=Outcome.LOCKED)
            # The old password is not even checked while the wait lasts.
            return self.render_to_response(self.get_context_data(
                form=PasswordChangeForm(user=user),
                locked=_("Too many failed attempts. Wait %(wait)s, then try again.")
                % {"wait": wait_in_words(wait)}))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        form.save()
        user = form.user
        update_session_auth_hash(self.request, user)  # other sessions end, this one stays
        record(actor=user, action=Action.UPDATE, object_type=ObjectType.PASSWORD,
               object_id=normalise_username(user.get_username()))
        _notify_password_changed(user)
        messages.success(self.request, _("Your password was changed."))
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        if "old_password" in form.errors:
            user = _signed_in(self.request)
            record(actor=user, action=Action.UPDATE, object_type=ObjectType.PASSWORD,
                   object_id=normalise_username(user.get_username()), outcome=Outcome.DENIED)
            count_failure(user.get_username(), current_origin().ip)
        return super().form_invalid(form)


@method_decorator(never_cache, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the answer never says whether the address is known."""

    template_name = "accounts/password_reset.html"
    form_class = StridePasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        form.save(request=self.request, language=translation.get_language())
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from an e-mailed link (works once, and only for a while)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            # A link that was used already, has expired, or was never issued.
            user = self.user
            record(actor=None, action=Action.READ, object_type=ObjectType.PASSWORD_RESET,
                   object_id=normalise_username(user.get_username()) if user else "",
                   outcome=Outcome.DENIED)
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        record(actor=user, action=Action.UPDATE, object_type=ObjectType.PASSWORD,
               object_id=normalise_username(user.get_username()))
        _notify_password_changed(user)
        return response


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
