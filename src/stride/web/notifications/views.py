"""The inbox (staff and families alike), opening and marking notices read, e-mail choices.

A notice is reached only through :func:`access_notification`: someone else's is the
audited 404. Listing the inbox is a read of each child its notices name, audited row by
row. Following a notice marks it read and goes to its page, which checks access again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stride.core.roles import Role
from stride.web.notifications import selectors, services
from stride.web.notifications.access import access_notification
from stride.web.notifications.forms import PreferencesForm
from stride.web.notifications.models import FAMILY_KINDS, STAFF_KINDS, EmailChoice
from stride.web.notifications.words import describe
from stride.web.patients.access import signed_in
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.audit.recording import record_reads


@login_required
@require_http_methods(["GET", "HEAD"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first, the unread ones marked."""
    user = signed_in(request)
    notices = selectors.inbox(user)
    record_reads(actor=user, object_type=ObjectType.NOTIFICATION, objects=(
        (notice.pk, notice.patient_id) for notice in notices if notice.patient_id is not None))
    return render(request, "notifications/inbox.html", {
        "items": [(notice, describe(notice.kind, notice.args)) for notice in notices],
        "any_unread": any(notice.read_at is None for notice in notices),
        "limit": selectors.INBOX_SIZE,
    })


def _safe_path(request: HttpRequest, path: str) -> str:
    """The notice's page if it is a path on this site, else the inbox."""
    if path.startswith("/") and url_has_allowed_host_and_scheme(
            path, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return path
    return reverse("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD"])
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponseBase:
    """Mark the notice read and go to its page."""
    user = signed_in(request)
    notice = access_notification(user, notification_id)
    services.mark_read(by=user, notification=notice)
    return redirect(_safe_path(request, notice.link))


@login_required
@require_POST
def read(request: HttpRequest, notification_id: int) -> HttpResponseBase:
    """Mark one notice read and return to the inbox."""
    user = signed_in(request)
    notice = access_notification(user, notification_id, write=True)
    services.mark_read(by=user, notification=notice)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponseBase:
    """Mark every notice of the signed-in person read."""
    user = signed_in(request)
    count = services.mark_all_read(by=user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse | HttpResponseBase:
    """Choose which notices also come by e-mail (urgent ones always do)."""
    user = signed_in(request)
    family = user.stride_role is Role.GUARDIAN
    current = selectors.preference_of(user)
    offered = FAMILY_KINDS if family else STAFF_KINDS
    form = PreferencesForm(request.POST or None, family=family, initial={
        "email": current.email or EmailChoice.CHOSEN,
        "kinds": [kind.value for kind in offered if kind.value not in current.muted_kinds],
    })
    if request.method == "POST" and form.is_valid():
        services.save_preferences(by=user, email=form.cleaned_data["email"],
                                  muted_kinds=form.muted_kinds())
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form},
                  status=400 if form.errors else 200)
