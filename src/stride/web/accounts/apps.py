from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, roles, sign-in with throttling and lockout."""

    name = "stride.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from stride.web.accounts import signals  # noqa: F401  (connects the audit receivers)
