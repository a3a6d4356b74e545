"""Public pages for families: what the programme offers, the inquiry form, its answer.

No sign-in is needed. The acknowledgement page shows the self-check and reference of the
inquiry this browser just sent (its id is kept in the session), and nothing else. The same
form sent again with other answers shows what was kept and a fresh form with the
corrections (:func:`inquiry`). The page an e-mailed link opens lets an account holder add
an inquiry's child to their portal, or say the inquiry is not theirs (:func:`account_link`).
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
    max_bytes,
    oversized_fields,
)

_SESSION_KEY = "stride_inquiry_acknowledged"


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
    if services.too_many_from(ip):
        form = InquiryForm(request.POST)
        return _form_page(request, form, status=429, error=_(
            "Many inquiries were sent from this connection in a short time, so this one was "
            "not accepted. Wait an hour and send it again, or write to us by e-mail."))
    form = InquiryForm(request.POST, request.FILES, oversized=oversized_fields(request))
    if not form.is_valid():
        discard(form.staged_files())
        files_note = _("For your safety, files are not kept when the form has a mistake: "
                       "choose them again.") if request.FILES or form.oversized else ""
        return _form_page(request, form, status=400, error=" ".join(filter(None, (_(
            "Some answers need your attention. The messages next to the fields say what to "
            "change."), files_note))))
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
        return _form_page(request, form, status=400, error=user_message(error))
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
