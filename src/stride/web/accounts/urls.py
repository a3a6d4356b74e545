from django.urls import path

from stride.web.accounts import passkeys, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    # The second step after the password.
    path("verify/", views.verify, name="verify"),
    # One's own second factors.
    path("security/", views.security, name="security"),
    path("security/authenticator/", views.security_authenticator,
         name="security-authenticator"),
    path("security/passkey/", views.security_passkey, name="security-passkey"),
    path("security/recovery-codes/", views.security_recovery_codes,
         name="security-recovery-codes"),
    path("security/remove/", views.security_remove, name="security-remove"),
    # Passkey ceremonies (JSON, used by stride/passkeys.js).
    path("passkeys/register/begin/", passkeys.RegisterBegin.as_view(),
         name="passkey-register-begin"),
    path("passkeys/register/complete/", passkeys.RegisterComplete.as_view(),
         name="passkey-register-complete"),
    path("passkeys/verify/begin/", passkeys.VerifyBegin.as_view(), name="passkey-verify-begin"),
    path("passkeys/verify/complete/", passkeys.VerifyComplete.as_view(),
         name="passkey-verify-complete"),
    # Passwords.
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetSentView.as_view(),
         name="password-reset-sent"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(),
         name="password-reset-complete"),
]
