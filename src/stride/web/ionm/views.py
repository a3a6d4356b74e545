"""The operating-room rootlet session: the surgeon's pages and the device's endpoint.

Staff pages fetch the case or session only through ``access_*`` (outsiders get the same
audited 404). The device endpoint authenticates with the session's bearer token instead of
a login, is the only CSRF-exempt view, and audits every post, accepted or refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets.live import ChunkRefused
from stride.web.accounts.models import User
from stride.web.audit.models import Action, Outcome
from stride.web.audit.recording import record
from stride.web.ionm import selectors, services
from stride.web.ionm.forms import DecisionForm, RecordingUploadForm, StartSessionForm
from stride.web.ionm.models import RootletSession, SessionStatus
from stride.web.lib.access import NOT_FOUND_MESSAGE, access_case_as_staff, access_rootlet_session
from stride.web.lib.uploads import UploadKind, oversized_fields, too_large_message

#: Largest JSON body the device may post: 17 channels × ~12 000 samples as text.
MAX_CHUNK_BYTES = 8 * 1024 * 1024


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101  (guaranteed by login_required)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, case_id: int) -> HttpResponse:
    """Start a live session on the case; the device token is shown once, on this response."""
    user = _user(request)
    case = access_case_as_staff(user, case_id, write=request.method == "POST")
    form = StartSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_session(
                by=user, case=case, rule_set=form.cleaned_data["rule_set"],
                montage=form.cleaned_data["montage"],
                config_overrides=form.cleaned_data["config_overrides"])
        except InvalidValue as error:
            form.add_error("config_overrides", _("This configuration cannot be used: %(why)s")
                           % {"why": error.message})
        else:
            endpoint = request.build_absolute_uri(
                reverse("ionm:api-stimulations", args=[started.session.pk]))
            return render(request, "ionm/started.html", {
                "case": case, "session": started.session, "token": started.token,
                "endpoint": endpoint})
    return render(request, "ionm/start.html", {"case": case, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def screen(request: HttpRequest, session_id: int) -> HttpResponse:
    """The surgeon's screen; ``ionm.js`` fills it from :func:`state` every half second."""
    session = access_rootlet_session(_user(request), session_id)
    return render(request, "ionm/screen.html", _screen_context(session, RecordingUploadForm()))


def _screen_context(session: RootletSession, upload_form: RecordingUploadForm) -> dict[str, Any]:
    return {"session": session, "case": session.case,
            "state": selectors.session_state(session), "decision_form": DecisionForm(),
            "upload_form": upload_form}


@never_cache
@login_required
@require_GET
def state(request: HttpRequest, session_id: int) -> JsonResponse:
    """The session's current state as JSON (polled by the surgeon's screen)."""
    session = access_rootlet_session(_user(request), session_id)
    return JsonResponse(selectors.session_state(session))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def decide(request: HttpRequest, session_id: int) -> HttpResponse:
    """Record one decision; JSON for the screen's script, a redirect for a plain form."""
    user = _user(request)
    session = access_rootlet_session(user, session_id, write=True)
    form = DecisionForm(request.POST)
    error: str | None = None
    if not form.is_valid():
        error = " ".join(str(m) for msgs in form.errors.values() for m in msgs)
    else:
        try:
            services.decide(by=user, session=session, rootlet=form.cleaned_data["rootlet"],
                            decision=form.cleaned_data["decision"],
                            reason=form.cleaned_data["reason"])
        except services.SessionError as refused:
            error = refused.message
    if _wants_json(request):
        if error is not None:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"ok": True})
    if error is not None:
        messages.error(request, error)
    return redirect(reverse("ionm:screen", args=[session.pk]))


@login_required
@require_POST
def upload(request: HttpRequest, session_id: int) -> HttpResponse:
    """Import a whole EDF+ recording into an empty live session (size and type checked)."""
    user = _user(request)
    session = access_rootlet_session(user, session_id, write=True)
    form = RecordingUploadForm(request.POST, request.FILES)
    if "recording" in oversized_fields(request):
        form.is_valid()  # the skipped file reads as missing: say why instead
        form.errors["recording"] = form.error_class([too_large_message(UploadKind.RECORDING)])
    elif form.is_valid():
        upload_file = form.cleaned_data["recording"]
        head = upload_file.read(256)
        if not services.is_edf_plus(head):
            form.add_error("recording", _("This file is not a continuous EDF+ recording; "
                                          "export the session as EDF+ (EDF+C) and try again."))
        else:
            try:
                count = services.import_recording(
                    by=user, session=session, path=Path(upload_file.temporary_file_path()))
            except StrideError as error:
                form.add_error("recording", _("The recording was not imported: %(why)s")
                               % {"why": error.message})
            else:
                messages.success(request, _("%(count)d stimulations were imported.")
                                 % {"count": count})
                return redirect(reverse("ionm:screen", args=[session.pk]))
    # Shown next to the file field, on the screen itself; nothing was stored.
    return render(request, "ionm/screen.html", _screen_context(session, form), status=400)


@login_required
@require_POST
def end(request: HttpRequest, session_id: int) -> HttpResponse:
    """End the session: the device token stops working and the summary is stored."""
    user = _user(request)
    session = access_rootlet_session(user, session_id, write=True)
    try:
        services.end_session(by=user, session=session)
    except services.SessionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The session has ended; the device token is revoked."))
    return redirect(reverse("ionm:screen", args=[session.pk]))


@login_required
@require_GET
def report(request: HttpRequest, session_id: int) -> FileResponse:
    """The end-of-session PDF report, as a download named after the case reference."""
    session = access_rootlet_session(_user(request), session_id)
    path = Path(settings.MEDIA_ROOT) / session.report.name if session.report else None
    if path is None or not path.is_file():
        raise Http404(NOT_FOUND_MESSAGE)
    return FileResponse(path.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{session.case.reference}-rootlet-session-{session.pk}.pdf")


def _device_session(request: HttpRequest, session_id: int) -> RootletSession | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return RootletSession.objects.filter(
        pk=session_id, token_hash=services.hash_token(token.strip()),
        status=SessionStatus.LIVE).select_related("case").first()


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _chunk_fields(body: Any) -> dict[str, Any]:
    """Return the chunk's fields with their types checked, or raise ``ChunkRefused``."""
    if not isinstance(body, dict):
        raise ChunkRefused("The body must be a JSON object.")
    expected: dict[str, type | tuple[type, ...]] = {
        "annotation": str, "onset_s": (int, float), "sfreq": (int, float), "labels": list,
        "samples_uv": list}
    for name, kind in expected.items():
        if not isinstance(body.get(name), kind) or isinstance(body.get(name), bool):
            raise ChunkRefused(f"The field {name!r} is missing or of the wrong type.")
    if not all(isinstance(label, str) for label in body["labels"]):
        raise ChunkRefused("The field 'labels' must be a list of channel labels.")
    return {name: body[name] for name in expected}


@csrf_exempt  # the device authenticates with a bearer token, not a browser session cookie
@require_POST
def api_stimulations(request: HttpRequest, session_id: int) -> JsonResponse:
    """Receive one stimulation from the monitoring computer and return its grade.

    401 without a valid token for a live session; 413 for an oversized body; 400 with a
    message for a chunk the engine refuses (the session continues); 201 with the
    rootlet's state when stored.
    """
    session = _device_session(request, session_id)
    device = f"device:rootlet-session-{session_id}"
    if session is None:
        record(actor=None, actor_label=device, action=Action.CREATE,
               object_type="rootlet-stimulation", object_id=session_id, outcome=Outcome.DENIED)
        return _refuse(401, "A valid bearer token for a live session is required.")
    patient_id = session.case.patient_id
    if len(request.body) > MAX_CHUNK_BYTES:
        refused = "The body is larger than 8 MB; send one stimulation's window per post."
        record(actor=None, actor_label=device, action=Action.CREATE,
               object_type="rootlet-stimulation", object_id=session.pk, patient_id=patient_id,
               outcome=Outcome.DENIED)
        return _refuse(413, refused)
    try:
        body = _chunk_fields(json.loads(request.body))
        row = services.receive_stimulation(session_id=session.pk, device=device, **body)
    except (ValueError, ChunkRefused, services.SessionError) as error:
        message = getattr(error, "message", None) or "The body is not valid JSON."
        record(actor=None, actor_label=device, action=Action.CREATE,
               object_type="rootlet-stimulation", object_id=session.pk, patient_id=patient_id,
               outcome=Outcome.DENIED)
        return _refuse(409 if isinstance(error, services.SessionError) else 400, message)
    return JsonResponse({"stimulation": row.pk,
                         "rootlet": selectors.rootlet_state(session, row.rootlet)}, status=201)
