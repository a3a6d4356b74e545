"""Audit receivers for sign-in, sign-out and failed sign-in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from stride.web.accounts.models import User
from stride.web.accounts.throttle import clear_failures, count_failure, normalise_username
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.request_origin import current_origin


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    record(actor=user, action=Action.LOGIN, object_type=ObjectType.ACCOUNT,
           object_id=normalise_username(user.get_username()))
    clear_failures(user.get_username())


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: HttpRequest | None, user: User | None, **_: Any) -> None:
    if user is not None:
        record(actor=user, action=Action.LOGOUT, object_type=ObjectType.ACCOUNT,
               object_id=normalise_username(user.get_username()))


@receiver(user_login_failed)
def _audit_failed_login(sender: Any, credentials: dict[str, Any],
                        request: HttpRequest | None = None, **_: Any) -> None:
    username = str(credentials.get("username", ""))
    record(actor=None, action=Action.FAILED_LOGIN, object_type=ObjectType.ACCOUNT,
           object_id=normalise_username(username), actor_label=username,
           outcome=Outcome.DENIED)
    count_failure(username, current_origin().ip)
