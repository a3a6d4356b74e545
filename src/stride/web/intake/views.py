"""Public pages for families: what the programme offers, the inquiry form, its answer.

No sign-in is needed. The acknowledgement page shows the self-check and reference of the
inquiry this browser just sent (its id is kept in the session), and nothing else. The same
form sent again with other answers shows what was kept and a fresh form with the
corrections (:func:`inquiry`). A form refused for a mistake keeps its good files for its
next send (:func:`_keep`: held on the server, listed in this browser's session under the
form's token), and opens with an error summary that links to every answer to correct.
The page an e-mailed link opens lets an account holder add an inquiry's child to their
portal, or say the inquiry is not theirs (:func:`account_link`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.errors import StrideError
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.documents.models import DocumentKind
from stride.web.intake import selectors, services
from stride.web.intake.access import account_link_by_token
from stride.web.intake.consent_texts import consent_text
from stride.web.intake.forms import InquiryForm, differences
from stride.web.intake.models import Inquiry
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.messages import user_message
from stride.web.platform.request_origin import current_origin
from stride.web.platform.uploads import (
    StagedFile,
    UploadKind,
    discard,
    held_file,
    hold,
    max_bytes,
    oversized_fields,
)

_SESSION_KEY = "stride_inquiry_acknowledged"
#: The files kept for the form this browser is filling in: ``{"token": ..., "files":
#: {field: [StagedFile.to_json()]}}``. Bound to the session (stored on the server) and to
#: the form's token: another browser, or another form, cannot reach them.
_HELD_KEY = "stride_inquiry_held"


def home(request: HttpRequest) -> HttpResponse:
    """The family landing page for visitors; signed-in users go to their own start page."""
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        return redirect("portal:home" if user.stride_role is Role.GUARDIAN
                        else "patients:dashboard")
    return render(request, "intake/landing.html")


def sdr(request: HttpRequest) -> HttpResponse:
    """Selective dorsal rhizotomy explained for families."""
    return render(request, "intake/sdr.html")


def cell_therapy(request: HttpRequest) -> HttpResponse:
    """What the evidence says about cell therapy (investigational, trials only)."""
    return render(request, "intake/cell_therapy.html")


def _consents() -> list[tuple[str, str]]:
    return [(kind.value, consent_text(CURRENT_TEXT_VERSION[kind]))
            for kind in (ConsentKind.DATA_PROCESSING, ConsentKind.CROSS_BORDER_TRANSFER)]


def _form_context(form: InquiryForm) -> dict[str, object]:
    return {
        "form": form, "consents": _consents(),
        "document_mb": max_bytes(UploadKind.DOCUMENT) // 1_000_000,
        "video_mb": max_bytes(UploadKind.VIDEO) // 1_000_000,
    }


# ---------------------------------------------------------------- files kept between sends

def _held(request: HttpRequest, token: str) -> dict[str, list[StagedFile]]:
    """The files this session kept for the form with ``token``, those still on disk, less
    those the family asked to remove (removed from disk here). Files kept for another
    form of this session are removed: a session keeps one form's files at a time."""
    entry = request.session.get(_HELD_KEY)
    if not isinstance(entry, dict):
        return {}
    stored = entry.get("files")
    files: dict[str, object] = stored if isinstance(stored, dict) else {}
    kept = {name: [f for f in map(held_file, items if isinstance(items, list) else [])
                   if f is not None]
            for name, items in files.items()}
    if not token or entry.get("token") != token:
        discard(f for items in kept.values() for f in items)
        del request.session[_HELD_KEY]
        return {}
    removed = set(request.POST.getlist("remove_held"))
    discard(f for items in kept.values() for f in items if f.stored_name in removed)
    return {name: [f for f in items if f.stored_name not in removed]
            for name, items in kept.items()}


def _keep(request: HttpRequest, form: InquiryForm, token: str) -> bool:
    """Hold the good files of a refused form for its next send (the kept ones and this
    send's); return ``False`` if this send's good files could not be kept and were removed:
    without a valid form token, or when this client has had files kept for many refused
    forms within the hour (a bound on what anyone can leave on the server)."""
    ip = current_origin().ip
    new_files = form.staged_files()
    dropped = bool(new_files) and (not token or not services.may_keep_files(ip=ip))
    if dropped:
        discard(new_files)
        form.staged = {}
    elif new_files:
        services.count_kept_files(ip=ip)
    if not token:
        request.session.pop(_HELD_KEY, None)
        return not dropped
    by_field: dict[str, list[StagedFile]] = {}
    for name, files in form.files_by_field().items():
        by_field[name] = []
        for file in files:
            try:
                by_field[name].append(hold(file))
            except FileNotFoundError:
                continue  # removed by the cleaning meanwhile: the page no longer lists it
    form.held = by_field
    request.session[_HELD_KEY] = {
        "token": token,
        "files": {name: [f.to_json() for f in files] for name, files in by_field.items()},
    }
    return not dropped


def _forget_held(request: HttpRequest) -> None:
    request.session.pop(_HELD_KEY, None)


def _form_page(request: HttpRequest, form: InquiryForm, *, error: str = "",
               status: int = 200) -> HttpResponse:
    return render(request, "intake/inquiry.html",
                  {**_form_context(form), "page_error": error}, status=status)


def _already_sent(request: HttpRequest, form: InquiryForm, kept: Inquiry,
                  submission: services.InquirySubmission,
                  documents: Sequence[tuple[DocumentKind, StagedFile]]) -> HttpResponse:
    """This form was sent before with other answers: the first inquiry stays as it was;
    show what was kept beside what was sent now, and a fresh form (a new token) filled in
    with the corrections, to send as a new inquiry that says it corrects the first."""
    record(actor=None, action=Action.READ, object_type=ObjectType.INQUIRY, object_id=kept.pk,
           patient_id=kept.case.patient_id)
    kept_documents = selectors.kept_documents(kept)
    kept_files = {document.sha256 for document in kept_documents}
    fresh = InquiryForm(initial={**form.resent_initial(), "corrects": kept.idempotency_key})
    return render(request, "intake/already_sent.html", {
        **_form_context(fresh), "inquiry": kept, "case": kept.case,
        "differences": differences(selectors.kept_values(kept),
                                   services.submission_values(submission)),
        "kept_documents": kept_documents,
        "unsent_files": [file.original_name for _kind, file in documents
                         if file.sha256 not in kept_files],
    }, status=409)


@require_http_methods(["GET", "HEAD", "POST"])
def inquiry(request: HttpRequest) -> HttpResponseBase:
    """The inquiry form; a valid submit creates the inquiry and shows the acknowledgement."""
    if request.method in ("GET", "HEAD"):
        return _form_page(request, InquiryForm(initial={"preferred_language": get_language()}))
    ip = current_origin().ip
    token = request.POST.get("token", "")
    held = _held(request, token)
    if services.too_many_from(ip):
        form = InquiryForm(request.POST, held=held)
        return _form_page(request, form, status=429, error=_(
            "Many inquiries were sent from this connection in a short time, so this one was "
            "not accepted. Wait an hour and send it again, or write to us by e-mail."))
    form = InquiryForm(request.POST, request.FILES, oversized=oversized_fields(request),
                       held=held)
    if not form.is_valid():
        tried = bool(form.staged_files())
        # Nothing is kept for a form without a valid token, or filled in by a robot.
        keep_for = "" if {"token", "website"} & set(form.errors) else token
        kept = _keep(request, form, keep_for)
        files_note = "" if kept or not tried else _(
            "The files you chose could not be kept this time: choose them again.")
        return _form_page(request, form, status=400, error=" ".join(filter(None, (_(
            "Some answers need your attention. The list below links to each one."),
            files_note))))
    _forget_held(request)
    data = form.cleaned_data
    submission = services.InquirySubmission(
        child_given_name=data["child_given_name"], child_family_name=data["child_family_name"],
        sex=data["sex"], country=data["country"], languages=tuple(data["languages"]),
        guardian_given_name=data["guardian_given_name"],
        guardian_family_name=data["guardian_family_name"], relationship=data["relationship"],
        email=data["email"], phone=data["phone"], preferred_language=data["preferred_language"],
        programme=form.chosen_programme, answers=form.family_answers(),
        seizure_medicines=data["seizure_medicines"], goals_text=data["goals_text"],
    )
    documents = form.staged_documents()
    try:
        created, new = services.submit_inquiry(
            submission=submission, documents=documents, idempotency_key=data["token"],
            language=get_language(), ip=ip, site_url=request.build_absolute_uri("/"),
            corrects=data.get("corrects"))
    except StrideError as error:
        # The service removed the files: the page must not list them as kept.
        form.held, form.staged = {name: [] for name in form.held}, {}
        return _form_page(request, form, status=400, error=" ".join((
            user_message(error), _("Choose your files again before you send the form."))))
    if not new and services.sent_differently(created, submission, documents):
        return _already_sent(request, form, created, submission, documents)
    request.session[_SESSION_KEY] = created.pk
    return redirect("intake:acknowledgement")


def acknowledgement(request: HttpRequest) -> HttpResponse:
    """The reference number and self-check of the inquiry this browser sent."""
    inquiry_id = request.session.get(_SESSION_KEY)
    found = (Inquiry.objects.select_related("case__patient").filter(pk=inquiry_id).first()
             if isinstance(inquiry_id, int) else None)
    if found is None:
        return redirect("intake:inquiry")
    record(actor=None, action=Action.READ, object_type=ObjectType.INQUIRY, object_id=found.pk,
           patient_id=found.case.patient_id)
    return render(request, "intake/acknowledgement.html", {
        "inquiry": found, "case": found.case, "self_check": selectors.self_check(found),
    })


@require_http_methods(["GET", "HEAD", "POST"])
def account_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page of the link e-mailed to an account holder whose address an inquiry used.

    Opening it shows the inquiry's child and two buttons; only pressing one (a POST) uses
    the link, so that e-mail scanners that open links do not spend it. A used, expired or
    unknown link changes nothing.
    """
    if request.method in ("GET", "HEAD"):
        link = account_link_by_token(token)
        if link is None:
            return render(request, "intake/account_link_invalid.html", status=400)
        child = link.guardian.patient
        return render(request, "intake/account_link.html", {
            "link": link, "child": child, "case": child.cases.order_by("id").first()})
    answer = request.POST.get("answer")
    answered = (services.answer_account_link(token=token, confirm=answer == "confirm")
                if answer in ("confirm", "decline") else None)
    if answered is None:
        return render(request, "intake/account_link_invalid.html", status=400)
    return render(request, "intake/account_link_answered.html",
                  {"confirmed": answer == "confirm"})
