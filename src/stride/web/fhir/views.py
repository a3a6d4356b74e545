"""Staff pages of the fhir app: partner systems, grants, the case's export, the import.

The partner systems' own endpoint is :mod:`stride.web.fhir.api`.
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stride.core.consents import ConsentMissing, DataUse
from stride.core.errors import StrideError
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.fhir import importing, selectors, services
from stride.web.fhir.collect import export_bundle_of
from stride.web.fhir.forms import GrantForm, RevokeForm, SystemForm, UploadForm
from stride.web.fhir.models import BundleUpload
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.patients.services import require_consents
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.messages import user_message
from stride.web.platform.uploads import oversized_fields, turned_away_fields


def _only(user: User, role: Role, *, object_type: ObjectType, write: bool = False) -> User:
    """``user`` if they have ``role``; anyone else gets the audited 404."""
    if Role(user.role) is not role:
        record(actor=user, action=Action.UPDATE if write else Action.READ,
               object_type=object_type, outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    return user


# ------------------------------------------------------------------ partner systems (admin)

@login_required
def systems(request: HttpRequest) -> HttpResponse:
    """The partner systems, and a form to register one (administrators only)."""
    user = _only(signed_in(request), Role.ADMIN, object_type=ObjectType.PARTNER_SYSTEM,
                 write=request.method == "POST")
    form = SystemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.register_system(by=user, name=form.cleaned_data["name"],
                                              contact=form.cleaned_data["contact"])
        except StrideError as error:
            form.add_error(None, user_message(error))
        else:
            return _token_page(request, issued)
    record(actor=user, action=Action.READ, object_type=ObjectType.PARTNER_SYSTEM,
           object_id="list")
    return render(request, "fhir/systems.html", {
        "systems": selectors.systems(), "form": form})


def _token_page(request: HttpRequest, issued: services.IssuedToken) -> HttpResponse:
    base = request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")
    return render(request, "fhir/token.html", {"system": issued.system, "token": issued.token,
                                               "base": base})


@login_required
@require_POST
def system_token(request: HttpRequest) -> HttpResponse:
    """Give a system a new token (the old one stops working) and show it once."""
    user = _only(signed_in(request), Role.ADMIN, object_type=ObjectType.PARTNER_SYSTEM,
                 write=True)
    try:
        issued = services.issue_new_token(by=user, system_id=int(request.POST.get("system", 0)))
    except (StrideError, ValueError) as error:
        messages.error(request, user_message(error) if isinstance(error, StrideError)
                       else _("Choose a system from the list."))
        return redirect("fhir:systems")
    return _token_page(request, issued)


@login_required
@require_POST
def system_active(request: HttpRequest) -> HttpResponse:
    """Switch a system off (its token opens nothing) or on again."""
    user = _only(signed_in(request), Role.ADMIN, object_type=ObjectType.PARTNER_SYSTEM,
                 write=True)
    try:
        system = services.set_system_active(
            by=user, system_id=int(request.POST.get("system", 0)),
            active=request.POST.get("active") == "1")
    except (StrideError, ValueError) as error:
        messages.error(request, user_message(error) if isinstance(error, StrideError)
                       else _("Choose a system from the list."))
    else:
        messages.success(request, _("%(system)s can read the records granted to it again.")
                         % {"system": system.name} if system.active else
                         _("%(system)s is switched off: its token opens nothing.")
                         % {"system": system.name})
    return redirect("fhir:systems")


# ------------------------------------------------------------------ grants (the case page)

@login_required
@require_POST
def grant(request: HttpRequest, case_id: int) -> HttpResponse:
    """Let a partner system read the case's child (a coordinator of its care team)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a partner system and write why it may read this "
                                  "child's record."))
    else:
        try:
            made = services.grant_access(by=user, case=case, system_id=form.cleaned_data["system"],
                                         reason=form.cleaned_data["reason"])
        except StrideError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("%(system)s may now read this child's record, while "
                                        "the family's consents to share it are in force.")
                             % {"system": made.system.name})
    return redirect(reverse("patients:case", args=[case.pk]))


@login_required
@require_POST
def revoke(request: HttpRequest, case_id: int) -> HttpResponse:
    """End a partner system's access to the case's child (kept with the reason)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the access ends, then press the button again."))
    else:
        try:
            ended = services.revoke_access(by=user, case=case,
                                           access_id=form.cleaned_data["access"],
                                           reason=form.cleaned_data["reason"])
        except StrideError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("%(system)s can no longer read this child's record.")
                             % {"system": ended.system.name})
    return redirect(reverse("patients:case", args=[case.pk]))


# ------------------------------------------------------------------ export (the case page)

@login_required
def export(request: HttpRequest, case_id: int) -> HttpResponse:
    """Download the child's record as a FHIR R4 Bundle (JSON): identified, or with
    ``?variant=pseudonymised`` without names, contacts and exact dates of birth.

    The identified Bundle leaves Stride with the child's identity, so it needs the
    family's consents to record exchange, as a partner system's read does.
    """
    user = signed_in(request)
    case = access_case_as_staff(user, case_id)
    pseudonymised = request.GET.get("variant") == "pseudonymised"
    if not pseudonymised:
        try:
            require_consents(patient=case.patient_id, use=DataUse.RECORD_EXCHANGE)
        except ConsentMissing as error:
            record(actor=user, action=Action.EXPORT, object_type=ObjectType.FHIR_BUNDLE,
                   object_id=f"{case.pk} identified consent-missing",
                   patient_id=case.patient_id, outcome=Outcome.DENIED)
            messages.error(request, user_message(error))
            return redirect(reverse("patients:case", args=[case.pk]))
    bundle = export_bundle_of(case.patient, pseudonymised=pseudonymised)
    variant = "pseudonymised" if pseudonymised else "identified"
    record(actor=user, action=Action.EXPORT, object_type=ObjectType.FHIR_BUNDLE,
           object_id=f"{case.pk} {variant} entries={len(bundle.get('entry', []))}",
           patient_id=case.patient_id)
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1),
                            content_type="application/fhir+json; charset=utf-8")
    name = f"{case.reference}-fhir-{variant}-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ------------------------------------------------------------------ import (coordination)

def _coordinator(request: HttpRequest, *, write: bool = False) -> User:
    return _only(signed_in(request), Role.COORDINATOR, object_type=ObjectType.FHIR_IMPORT,
                 write=write)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """A coordinator uploads a referring hospital's Bundle; a bad one is listed entry by
    entry and nothing is kept; a good one waits for review."""
    user = _coordinator(request, write=request.method == "POST")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[importing.EntryProblem] = []
    if request.method == "POST":
        if oversized_fields(request) or turned_away_fields(request):
            form.add_error("bundle", importing.too_large_message())
        elif form.is_valid():
            read = importing.read_upload(form.cleaned_data["bundle"])
            if read.problems:
                problems = list(read.problems)
                record(actor=user, action=Action.CREATE, object_type=ObjectType.FHIR_IMPORT,
                       object_id=f"refused problems={len(problems)}", outcome=Outcome.DENIED)
            else:
                staged = services.stage_upload(
                    by=user, text=read.text, original_name=form.cleaned_data["bundle"].name)
                return redirect(reverse("fhir:import-review", args=[staged.pk]))
    return render(request, "fhir/import_upload.html", {
        "form": form, "problems": problems,
        "max_megabytes": importing.max_bytes() // 1_000_000})


def _staged(user: User, upload_id: uuid.UUID, *, write: bool) -> BundleUpload:
    """The user's own staged Bundle; anyone else's (or a used one) is the audited 404."""
    staged = selectors.uploads_waiting(user).filter(pk=upload_id).first()
    if staged is None:
        record(actor=user, action=Action.UPDATE if write else Action.READ,
               object_type=ObjectType.FHIR_IMPORT, object_id=str(upload_id),
               outcome=Outcome.NOT_FOUND)
        raise Http404(NOT_FOUND_MESSAGE)
    return staged


@login_required
def review(request: HttpRequest, upload_id: uuid.UUID) -> HttpResponse:
    """What the Bundle holds, in words, before anything is stored; confirm or discard."""
    user = _coordinator(request, write=request.method == "POST")
    staged = _staged(user, upload_id, write=request.method == "POST")
    read = importing.read_text(staged.text)
    if request.method == "POST" and request.POST.get("action") == "discard":
        services.discard_upload(by=user, upload=staged)
        messages.success(request, _("The uploaded Bundle was discarded; nothing was stored."))
        return redirect("fhir:import")
    if request.method == "POST" and read.record is not None:
        programme = request.POST.get("programme", "")
        try:
            inquiry = importing.confirm_import(by=user, upload_id=staged.pk, programme=programme)
        except StrideError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("The referral was imported as a new inquiry: %(ref)s.")
                             % {"ref": inquiry.case.reference})
            return redirect(reverse("patients:case", args=[inquiry.case_id]))
    record(actor=user, action=Action.READ, object_type=ObjectType.FHIR_IMPORT,
           object_id=str(staged.pk))
    return render(request, "fhir/import_review.html", {
        "upload": staged, "problems": read.problems,
        "summary": None if read.record is None else importing.summary(read.record),
        "notes": importing.notes_of(staged.text) if read.record is not None else (),
        "programmes": importing.programme_choices()})

