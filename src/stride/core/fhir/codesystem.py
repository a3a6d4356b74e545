"""The Stride CodeSystem resource, published with every export.

It defines every code Stride writes that no external terminology is used for (see
:mod:`stride.core.fhir.codes` for why and for the external ones). The resource is the same
for every export of one version: its id is ``stride`` and its content ``complete``.
"""

from __future__ import annotations

from typing import Any

from stride.core.fhir.codes import (
    STRIDE_CONCEPTS,
    STRIDE_SYSTEM,
    STRIDE_SYSTEM_VERSION,
)

#: The CodeSystem's resource id (the same in every export).
CODE_SYSTEM_ID = "stride"


def stride_code_system() -> dict[str, Any]:
    """Return the Stride CodeSystem as a FHIR R4 resource (a plain dict).

    Every concept has its code and an English display; the codes are ``<group>:<value>``
    with the value a stored ``stride.core`` code, so the list grows only when core's enums
    grow (a new version of the CodeSystem).
    """
    return {
        "resourceType": "CodeSystem",
        "id": CODE_SYSTEM_ID,
        "url": STRIDE_SYSTEM,
        "version": STRIDE_SYSTEM_VERSION,
        "name": "StrideCodes",
        "title": "Stride codes for cerebral palsy care",
        "status": "active",
        "experimental": False,
        "publisher": "Stride",
        "description": (
            "Codes Stride uses in its FHIR R4 exports where no LOINC or SNOMED CT code was "
            "verified: functional classifications and measures of cerebral palsy (GMFCS-E&R, "
            "MACS, CFCS, EDACS, GMFM, Modified Ashworth, FMS, hip migration), SCPE subtypes, "
            "procedures, consent and document kinds. A code is <group>:<value>."
        ),
        "caseSensitive": True,
        "content": "complete",
        "count": len(STRIDE_CONCEPTS),
        "concept": [{"code": code, "display": display}
                    for code, display in STRIDE_CONCEPTS.items()],
    }
