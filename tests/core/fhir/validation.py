"""Validation of exported resources with the FHIR R4 models of ``fhir.resources``."""

from __future__ import annotations

import json
from typing import Any

import fhir.resources
from fhir.resources import construct_fhir_element

#: Required-binding codes the models do not check (``fhir.resources`` validates structure
#: and data types, not value sets): the R4 value sets of the statuses the export writes.
R4_STATUSES: dict[str, set[str]] = {
    "Observation": {"registered", "preliminary", "final", "amended", "corrected",
                    "cancelled", "entered-in-error", "unknown"},
    "Procedure": {"preparation", "in-progress", "not-done", "on-hold", "stopped",
                  "completed", "entered-in-error", "unknown"},
    "Encounter": {"planned", "arrived", "triaged", "in-progress", "onleave", "finished",
                  "cancelled", "entered-in-error", "unknown"},
    "Consent": {"draft", "proposed", "active", "rejected", "inactive", "entered-in-error"},
    "DocumentReference": {"current", "superseded", "entered-in-error"},
    "MedicationAdministration": {"in-progress", "not-done", "on-hold", "completed",
                                 "entered-in-error", "stopped", "unknown"},
    "ResearchSubject": {"candidate", "eligible", "follow-up", "ineligible", "not-registered",
                        "off-study", "on-study", "on-study-intervention",
                        "on-study-observation", "pending-on-study", "potential-candidate",
                        "screening", "withdrawn"},
    "ResearchStudy": {"active", "administratively-completed", "approved",
                      "closed-to-accrual", "closed-to-accrual-and-intervention", "completed",
                      "disapproved", "in-review", "temporarily-closed-to-accrual",
                      "temporarily-closed-to-accrual-and-intervention", "withdrawn"},
    "CodeSystem": {"draft", "active", "retired", "unknown"},
}


def assert_valid_r4(resource: dict[str, Any]) -> None:
    """Fail unless ``resource`` (after a JSON round trip) is a valid R4 resource."""
    assert fhir.resources.__fhir_version__ == "4.0.1"
    data = json.loads(json.dumps(resource))
    construct_fhir_element(data["resourceType"], data)  # raises ValidationError
    allowed = R4_STATUSES.get(data["resourceType"])
    if allowed is not None:
        assert data["status"] in allowed, (data["resourceType"], data["status"])
