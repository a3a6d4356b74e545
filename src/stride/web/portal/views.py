"""The guardian portal: sign-in by link, the case status, messages, uploads and letters.

Every page of a case fetches it through :func:`access_case_as_family` (or a letter through
:func:`access_letter_of_case`): another family's case is a 404, and the attempt is audited.
The family's message is taken by coordination's page (``coordination.views.family_message``,
routed here as ``portal:message``): the conversation is that app's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stride.core.roles import Role
from stride.web.coordination.forms import FamilyMessageForm
from stride.web.documents.access import access_letter_of_case, access_letter_pdf_of_case
from stride.web.documents.models import DocumentKind
from stride.web.documents.services import add_document
from stride.web.evaluation.views import family_booking_context
from stride.web.patients.access import access_case_as_family, signed_in
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.audit.recording import record_reads
from stride.web.platform.http import stored_file_response
from stride.web.platform.uploads import discard, oversized_fields
from stride.web.portal import selectors, services
from stride.web.portal.forms import DocumentForm, SignInLinkForm
from stride.web.stories.selectors import family_stories

_BACKEND = "django.contrib.auth.backends.ModelBackend"



@require_http_methods(["GET", "HEAD", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link by e-mail (the answer never says whether the address is known)."""
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_sign_in_link(
            email=form.cleaned_data["email"],
            link_base=request.build_absolute_uri(reverse("portal:sign-in")))
        return render(request, "portal/link_sent.html")
    return render(request, "portal/sign_in.html", {"form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
def sign_in_with_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """Sign in with an e-mailed link.

    Opening the link shows a button; only pressing it (a POST) uses the link up, so that
    e-mail scanners that open links do not spend it.
    """
    if request.method in ("GET", "HEAD"):
        return render(request, "portal/link.html")
    user = services.redeem_sign_in_link(token=token)
    if user is None:
        return render(request, "portal/link_invalid.html", status=400)
    login(request, user, backend=_BACKEND)
    return redirect("portal:home")


@login_required
def home(request: HttpRequest) -> HttpResponseBase:
    """The guardian's children's cases; staff are sent to their own dashboard."""
    user = signed_in(request)
    if user.stride_role is not Role.GUARDIAN:
        return redirect("patients:dashboard")
    cases = list(selectors.family_cases(user))
    record_reads(actor=user, object_type=ObjectType.CASE_LIST,
                 objects=((case.pk, case.patient_id) for case in cases))
    return render(request, "portal/home.html", {
        "cases": [(case, str(selectors.STATUS_WORDS[case.stage_enum])) for case in cases],
    })


def _case_page(request: HttpRequest, case_id: int, *, message_form: FamilyMessageForm | None = None,
               document_form: DocumentForm | None = None, status: int = 200) -> HttpResponse:
    user = signed_in(request)
    case = access_case_as_family(user, case_id)
    services.mark_programme_messages_read(by=user, case=case)
    return render(request, "portal/case.html", {
        "page": selectors.case_page(case), "case": case,
        "message_form": message_form or FamilyMessageForm(),
        "document_form": document_form or DocumentForm(),
        # The family's stories sent for their approval (the stories app's pages).
        "stories": list(family_stories(case.pk)),
        **family_booking_context(request, case),
    }, status=status)


@login_required
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    """One case: status in plain words, messages (marked read), documents, letters."""
    return _case_page(request, case_id)


@login_required
@require_POST
def upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Send another document or video for the case."""
    user = signed_in(request)
    family_case = access_case_as_family(user, case_id, contribute=True)
    form = DocumentForm(request.POST, request.FILES, oversized=oversized_fields(request))
    if not form.is_valid() or form.staged is None:
        if form.staged is not None:
            discard([form.staged])
        return _case_page(request, case_id, document_form=form, status=400)
    add_document(by=user, case=family_case, kind=DocumentKind(form.cleaned_data["kind"]),
                 file=form.staged)
    messages.success(request, _("Your file was received."))
    return redirect("portal:case", case_id=family_case.pk)


@login_required
def letter(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """A letter of the case, exactly as issued."""
    found = access_letter_of_case(request.user, case_id, letter_id, family=True)
    return render(request, "portal/letter.html", {"letter": found, "case": found.case})


@login_required
def letter_pdf(request: HttpRequest, case_id: int, letter_id: int) -> FileResponse:
    """The PDF of a letter, exactly as issued."""
    found = access_letter_pdf_of_case(request.user, case_id, letter_id, family=True)
    return stored_file_response(found.pdf_name, content_type="application/pdf",
                                filename=f"{found.case.reference}-{found.kind}.pdf",
                                as_attachment=False)
