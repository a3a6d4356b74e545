"""Audit receivers for sign-in, sign-out and failed sign-in; the throttle's counts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import translation

from stride.web.accounts.models import User
from stride.web.accounts.throttle import count_failure, count_success, normalise_username
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.request_origin import current_origin


@receiver(user_logged_in)
def _audit_login(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    record(actor=user, action=Action.LOGIN, object_type=ObjectType.ACCOUNT,
           object_id=normalise_username(user.get_username()))
    count_success(user.get_username(), current_origin().ip)
    # The language of the pages the user works in is the one their e-mails are written in.
    language = translation.get_language()
    offered = {code for code, _name in settings.LANGUAGES}
    if request is not None and language in offered and language != user.language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


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
