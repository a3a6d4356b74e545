"""Sign-in and sign-out pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views

from stride.web.accounts.forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    """Sign-in; says so when the user arrives because their session ended."""

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


class LogoutView(auth_views.LogoutView):
    """Sign-out (POST only, as Django requires)."""
