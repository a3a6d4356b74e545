"""The read-only FHIR R4 REST endpoint for partner systems.

``GET /fhir/metadata`` (the CapabilityStatement, no token needed: it holds no patient
data), ``GET /fhir/Patient/<id>`` and ``GET /fhir/Patient/<id>/$everything`` with
``Authorization: Bearer <token>``. No session and no CSRF: a partner system is not a
browser. Every answer is ``application/fhir+json``; refusals are OperationOutcomes:
401 without a valid token, the same 404 for everything a system may not read (unknown id,
another child, a revoked grant, a withdrawn consent), 429 past the rate limit. Every
answer is audited (by :mod:`stride.web.fhir.access`).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from stride.web.fhir import access
from stride.web.fhir.collect import everything_bundle, patient_resource
from stride.web.platform import ratelimit
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.request_origin import current_origin

FHIR_JSON = "application/fhir+json; charset=utf-8"

#: Reads per caller (a system, or an address without a valid token) per minute: far above
#: what a hospital's system fetching referrals needs, low enough to stop a scrape.
READS_PER_MINUTE = ratelimit.Limit("fhir-api", 120, timedelta(minutes=1))


def _fhir(body: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type=FHIR_JSON)


def outcome(status: int, code: str, text: str) -> HttpResponse:
    """An OperationOutcome with one error issue (``code`` from the FHIR issue-type set)."""
    return _fhir({"resourceType": "OperationOutcome",
                  "issue": [{"severity": "error", "code": code, "diagnostics": text}]},
                 status=status)


NOT_FOUND_TEXT = "No Patient with this id is available to this system."


def _limited(caller: str) -> HttpResponse | None:
    """The 429 answer when ``caller`` used up its reads, else ``None`` (and count one)."""
    wait = ratelimit.retry_after(READS_PER_MINUTE, caller)
    if wait is not None:
        response = outcome(429, "throttled", "Too many requests: wait and try again.")
        response["Retry-After"] = str(max(1, int(wait.total_seconds())))
        return response
    ratelimit.hit(READS_PER_MINUTE, caller)
    return None


def _caller(request: HttpRequest) -> tuple[Any, HttpResponse | None]:
    """The partner system of the request, or the answer that refuses it."""
    try:
        system = access.authenticate(request.headers.get("Authorization", ""),
                                     what=request.path)
    except access.NoSystem:
        limited = _limited(f"address:{current_origin().ip or 'unknown'}")
        if limited is not None:
            return None, limited
        response = outcome(401, "login", "A valid bearer token of a partner system is "
                                         "required: Authorization: Bearer <token>.")
        response["WWW-Authenticate"] = 'Bearer realm="stride-fhir"'
        return None, response
    return system, _limited(f"system:{system.pk}")


@csrf_exempt  # read only, bearer token: no cookie is read or set
@require_safe
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement: what this server offers (FHIR R4, JSON, read-only)."""
    limited = _limited(f"address:{current_origin().ip or 'unknown'}")
    if limited is not None:
        return limited
    base = request.build_absolute_uri(reverse("fhir:metadata")).removesuffix("metadata")
    return _fhir({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-02",
        "publisher": "Stride",
        "kind": "instance",
        "software": {"name": "Stride"},
        "implementation": {"description": "Stride read-only FHIR R4 endpoint for partner "
                                          "systems", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "security": {
                "description": "One bearer token per partner system "
                               "(Authorization: Bearer <token>), given by the programme; a "
                               "system reads only the children a coordinator granted it.",
            },
            "resource": [{
                "type": "Patient",
                "interaction": [{"code": "read"}],
                "operation": [{
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                }],
            }],
        }],
    })


def _read(request: HttpRequest, fhir_id: str, object_type: ObjectType,
          ) -> tuple[access.SystemRead | None, HttpResponse | None]:
    system, refused = _caller(request)
    if refused is not None:
        return None, refused
    try:
        return access.read_patient(system, fhir_id, object_type=object_type), None
    except access.NotForSystem:
        return None, outcome(404, "not-found", NOT_FOUND_TEXT)


@csrf_exempt  # read only, bearer token: no cookie is read or set
@require_safe
def patient(request: HttpRequest, fhir_id: str) -> HttpResponse:
    """``GET Patient/<id>``: the child's Patient resource."""
    granted, refused = _read(request, fhir_id, ObjectType.PATIENT)
    if granted is None:
        return refused or outcome(404, "not-found", NOT_FOUND_TEXT)
    return _fhir(patient_resource(granted.patient))


@csrf_exempt  # read only, bearer token: no cookie is read or set
@require_safe
def everything(request: HttpRequest, fhir_id: str) -> HttpResponse:
    """``GET Patient/<id>/$everything``: the child's whole exported record, a searchset."""
    granted, refused = _read(request, fhir_id, ObjectType.FHIR_BUNDLE)
    if granted is None:
        return refused or outcome(404, "not-found", NOT_FOUND_TEXT)
    return _fhir(everything_bundle(granted.patient, self_url=request.build_absolute_uri()))
