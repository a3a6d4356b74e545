"""The operating-room rootlet session: the surgeon's pages and the device's endpoint.

Staff pages fetch the case or session only through ``access_*`` (outsiders get the same
audited 404). The screen's opening is audited; its polls carry a ticket from that opening
and are not audited again (``access_rootlet_session_polled``). The device endpoint
authenticates with the session's bearer token instead of a login, is the only
CSRF-exempt view, and audits every post, accepted or refused.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets.live import AGAINST, ChunkRefused
from stride.core.treatment.problems import EpisodeRefused
from stride.web.ionm import selectors, services
from stride.web.ionm.access import (
    access_rootlet_session,
    access_rootlet_session_polled,
    access_sdr_episode,
    screen_ticket,
)
from stride.web.ionm.forms import (
    DecisionForm,
    EndSessionForm,
    RecordingUploadForm,
    StartSessionForm,
)
from stride.web.ionm.models import RootletSession, SessionStatus
from stride.web.ionm.wording import (
    DECISION_WORDS,
    FLAG_WORDS,
    SUGGESTION_WORDS,
    config_refusal,
)
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import stored_file_response
from stride.web.platform.messages import problem_message, user_message
from stride.web.platform.uploads import UploadKind, oversized_fields, too_large_message

#: Largest JSON body the device may post: 17 channels × ~12 000 samples as text.
MAX_CHUNK_BYTES = 8 * 1024 * 1024
#: Deepest JSON nesting a chunk needs (object → samples → row); anything deeper is refused
#: before parsing, so a hostile body cannot exhaust the parser's recursion.
_MAX_JSON_DEPTH = 8
#: Largest sequence number a device may send (the column is a 32-bit integer; a session has
#: at most a few hundred stimulations).
MAX_SEQUENCE = 2**31 - 1


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest, case_id: int) -> HttpResponse:
    """Start a live session on the case; the device token is shown once, on this response.

    Started from an SDR episode (``?episode=<id>``), the session is linked to it.
    """
    user = signed_in(request)
    raw_episode = request.GET.get("episode", "")
    # The SDR episode the session is started from, through the door (this case's only),
    # looked up first: another case's episode is one not-found event, never a "case ok".
    episode = (access_sdr_episode(user, case_id, int(raw_episode))
               if raw_episode.isdigit() else None)
    case = access_case_as_staff(user, case_id, write=request.method == "POST")
    form = StartSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_session(
                by=user, case=case, rule_set=form.cleaned_data["rule_set"],
                montage=form.cleaned_data["montage"],
                config_overrides=form.cleaned_data["config_overrides"],
                episode_id=None if episode is None else episode.pk)
        except InvalidValue as error:
            form.add_error("config_overrides", config_refusal(error))
        except EpisodeRefused as refused:
            for problem in refused.problems:
                form.add_error(None, problem_message(problem))
        else:
            endpoint = request.build_absolute_uri(
                reverse("ionm:api-stimulations", args=[started.session.pk]))
            return render(request, "ionm/started.html", {
                "case": case, "session": started.session, "token": started.token,
                "endpoint": endpoint, "episode": episode})
    return render(request, "ionm/start.html", {"case": case, "form": form, "episode": episode},
                  status=400 if form.is_bound else 200)


@login_required
@require_safe
def screen(request: HttpRequest, session_id: int) -> HttpResponse:
    """The surgeon's screen (audited); ``ionm.js`` keeps it current from :func:`state`."""
    user = signed_in(request)
    session = access_rootlet_session(user, session_id)
    return render(request, "ionm/screen.html",
                  _screen_context(session, RecordingUploadForm(), ticket=screen_ticket(
                      user, session)))


def _screen_context(session: RootletSession, upload_form: RecordingUploadForm, *,
                    ticket: str) -> dict[str, Any]:
    state = selectors.session_state(session)
    detail = state["detail"]
    selected = detail["rootlet"] if isinstance(detail, dict) else None
    rows = state["rootlets"]
    assert isinstance(rows, list)  # noqa: S101  (session_state's shape)
    return {"session": session, "case": session.case, "state": state,
            "selected": next((r for r in rows if r["rootlet"] == selected), None),
            "decision_form": DecisionForm(), "upload_form": upload_form, "ticket": ticket,
            "overrides": selectors.overrides_rows(session),
            "words": {"suggestion": {k: str(v) for k, v in SUGGESTION_WORDS.items()},
                      "decision": {k: str(v) for k, v in DECISION_WORDS.items()},
                      "flag": {k: str(v) for k, v in FLAG_WORDS.items()}},
            "against": {decision: [s.value for s in against]
                        for decision, against in AGAINST.items()}}


@never_cache
@login_required
@require_safe
def state(request: HttpRequest, session_id: int) -> HttpResponse:
    """The session's state as JSON for the screen.

    ``?since=<version>``: 204 when nothing changed since (the cheap, frequent question);
    ``?selected=<rootlet>``: the traces of that rootlet instead of the newest one's.
    """
    session = access_rootlet_session_polled(signed_in(request), session_id,
                                            request.GET.get("ticket", ""))
    version = selectors.version_token(session)
    if request.GET.get("since") == version:
        return HttpResponse(status=204)
    return JsonResponse(selectors.session_state(session, selected=request.GET.get("selected"),
                                                version=version))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def decide(request: HttpRequest, session_id: int) -> HttpResponse:
    """Record one decision; JSON for the screen's script, a redirect for a plain form.

    400 for a decision the form or the service refuses, 409 when the rootlet changed
    after the screen showed it (the screen says so and redraws).
    """
    user = signed_in(request)
    session = access_rootlet_session(user, session_id, write=True)
    form = DecisionForm(request.POST)
    error: str | None = None
    status = 400
    if not form.is_valid():
        error = " ".join(str(m) for msgs in form.errors.values() for m in msgs)
    else:
        try:
            services.decide(by=user, session=session, rootlet=form.cleaned_data["rootlet"],
                            decision=form.cleaned_data["decision"],
                            reason=form.cleaned_data["reason"],
                            version=form.cleaned_data["version"])
        except services.StaleDecision as stale:
            error, status = stale.message, 409
        except services.SessionError as refused:
            error = refused.message
    if _wants_json(request):
        if error is not None:
            return JsonResponse({"error": error, "stale": status == 409}, status=status)
        return JsonResponse({"ok": True})
    if error is not None:
        messages.error(request, error)
    return redirect(reverse("ionm:screen", args=[session.pk]))


@login_required
@require_POST
def upload(request: HttpRequest, session_id: int) -> HttpResponse:
    """Import a whole EDF+ recording into an empty live session (size and type checked)."""
    user = signed_in(request)
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
                               % {"why": user_message(error)})
            else:
                messages.success(request, _("%(count)d stimulations were imported.")
                                 % {"count": count})
                return redirect(reverse("ionm:screen", args=[session.pk]))
    # Shown next to the file field, on the screen itself; nothing was stored.
    return render(request, "ionm/screen.html",
                  _screen_context(session, form, ticket=screen_ticket(user, session)),
                  status=400)


@login_required
@require_POST
def end(request: HttpRequest, session_id: int) -> HttpResponse:
    """End the session: the device token stops working and the summary is stored.

    With rootlets still undecided, the first press shows them and asks the surgeon to
    confirm leaving them; the confirmed ending records which were left.
    """
    user = signed_in(request)
    session = access_rootlet_session(user, session_id, write=True)
    form = EndSessionForm(request.POST)
    leave = form.is_valid() and form.cleaned_data["leave_undecided"]
    try:
        services.end_session(by=user, session=session, leave_undecided=leave)
    except services.UndecidedRootlets as undecided:
        return render(request, "ionm/end_confirm.html", {
            "session": session, "case": session.case, "undecided": undecided.rootlets,
            "form": EndSessionForm(), "asked_again": "leave_undecided" in request.POST},
            status=409)
    except services.SessionError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The session has ended; the device token is revoked."))
    return redirect(reverse("ionm:screen", args=[session.pk]))


@login_required
@require_safe
def report(request: HttpRequest, session_id: int) -> FileResponse:
    """The end-of-session PDF report, as a download named after the case reference."""
    session = access_rootlet_session(signed_in(request), session_id)
    return stored_file_response(
        session.report.name, content_type="application/pdf",
        filename=f"{session.case.reference}-rootlet-session-{session.pk}.pdf")


def _device_session(request: HttpRequest, session_id: int) -> RootletSession | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return RootletSession.objects.filter(
        pk=session_id, token_hash=services.hash_token(token.strip()),
        status=SessionStatus.LIVE).select_related("case").first()


def _refuse(status: int, message: str, code: str) -> JsonResponse:
    return JsonResponse({"error": message, "code": code}, status=status)


def _too_deep(text: bytes) -> bool:
    """Whether brackets nest deeper than a chunk ever needs (checked before parsing)."""
    depth = 0
    for byte in text:
        if byte in b"[{":
            depth += 1
            if depth > _MAX_JSON_DEPTH:
                return True
        elif byte in b"]}":
            depth -= 1
    return False


def _chunk_fields(body: Any) -> dict[str, Any]:
    """Return the chunk's fields with their types checked, or raise ``ChunkRefused``."""
    if not isinstance(body, dict):
        raise ChunkRefused("The body must be a JSON object.")
    expected: dict[str, type | tuple[type, ...]] = {
        "sequence": int, "annotation": str, "onset_s": (int, float), "sfreq": (int, float),
        "labels": list, "samples_uv": list}
    for name, kind in expected.items():
        if not isinstance(body.get(name), kind) or isinstance(body.get(name), bool):
            raise ChunkRefused(f"The field {name!r} is missing or of the wrong type.")
    fields = {name: body[name] for name in expected}
    for name in ("onset_s", "sfreq"):
        try:
            # An integer beyond floating point (10**400) overflows here, not in numpy.
            fields[name] = float(body[name])
        except OverflowError:
            fields[name] = math.inf
        if not math.isfinite(fields[name]):
            raise ChunkRefused(f"The field {name!r} must be a finite number.")
    if not 1 <= body["sequence"] <= MAX_SEQUENCE:
        raise ChunkRefused(f"The field 'sequence' must be a whole number from 1 to "
                           f"{MAX_SEQUENCE}.")
    if not all(isinstance(label, str) for label in body["labels"]):
        raise ChunkRefused("The field 'labels' must be a list of channel labels.")
    return fields


def _read_body(request: HttpRequest) -> bytes | None:
    """The request body, or ``None`` when it is larger than :data:`MAX_CHUNK_BYTES`.

    Read from the stream, not ``request.body``: Django caps that at
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) with a bare HTML 400, below what a 20 kHz
    window needs, and the device must get JSON.
    """
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_CHUNK_BYTES:
        return None
    body = request.read(MAX_CHUNK_BYTES + 1)
    return None if len(body) > MAX_CHUNK_BYTES else body


@csrf_exempt  # the device authenticates with a bearer token, not a browser session cookie
@require_http_methods(["GET", "HEAD", "POST"])
def api_stimulations(request: HttpRequest, session_id: int) -> JsonResponse:
    """Receive one stimulation from the monitoring computer and return its grade.

    POST: 401 without a valid token for a live session; 413 for an oversized body; 400
    with a message for a chunk the engine refuses (the session continues); 409 when its
    sequence number holds another stimulation; 201 with the rootlet's state when stored;
    200 with ``"repeated": true`` when that sequence number was already stored with the
    same content. GET: the sequence numbers received so far, so a device that restarts
    sends only what is missing.
    """
    session = _device_session(request, session_id)
    device = f"device:rootlet-session-{session_id}"
    action = Action.CREATE if request.method == "POST" else Action.READ
    if session is None:
        record(actor=None, actor_label=device, action=action,
               object_type=ObjectType.ROOTLET_STIMULATION, object_id=session_id,
               outcome=Outcome.DENIED)
        return _refuse(401, "A valid bearer token for a live session is required.", "token")
    patient_id = session.case.patient_id
    if request.method in ("GET", "HEAD"):
        record(actor=None, actor_label=device, action=Action.READ,
               object_type=ObjectType.ROOTLET_SESSION, object_id=session.pk, patient_id=patient_id)
        return JsonResponse(selectors.received_sequences(session))

    def denied() -> None:
        record(actor=None, actor_label=device, action=Action.CREATE,
               object_type=ObjectType.ROOTLET_STIMULATION, object_id=session.pk,
               patient_id=patient_id,
               outcome=Outcome.DENIED)

    raw = _read_body(request)
    if raw is None:
        denied()
        return _refuse(413, "The body is larger than 8 MB; send one stimulation's window per "
                            "post.", "too-large")
    try:
        if _too_deep(raw):
            raise ChunkRefused("The body nests deeper than a stimulation's JSON does.")
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise ChunkRefused("The body is not valid JSON.") from None
        received = services.receive_stimulation(session_id=session.pk, device=device,
                                                **_chunk_fields(parsed))
    except services.SequenceConflict as conflict:
        denied()
        return _refuse(409, conflict.message, conflict.code)
    except (ChunkRefused, services.SessionError) as error:
        denied()
        return _refuse(409 if isinstance(error, services.SessionError) else 400,
                       error.message, error.code)
    if received.repeated:
        record(actor=None, actor_label=device, action=Action.READ,
               object_type=ObjectType.ROOTLET_STIMULATION, object_id=received.row.pk,
               patient_id=patient_id)
    return JsonResponse({"stimulation": received.row.pk, "sequence": received.row.sequence,
                         "repeated": received.repeated,
                         "rootlet": selectors.rootlet_state(session, received.row.rootlet)},
                        status=200 if received.repeated else 201)
