"""Cerebral palsy classification: SCPE motor subtypes (codings come with the clinical core).

Source: Surveillance of Cerebral Palsy in Europe (SCPE), "Surveillance of cerebral palsy in
Europe: a collaboration of cerebral palsy surveys and registers", Dev Med Child Neurol
2000;42:816-824; subtypes as listed in ``../shared/clinical-reference.md`` (verified).
"Mixed" is not a subtype: a child is classified by the predominant motor type, and any
other types are recorded as secondary.
"""

from __future__ import annotations

from enum import StrEnum


class ScpeSubtype(StrEnum):
    """The predominant SCPE motor subtype; the value is the stored, JSON-safe code."""

    SPASTIC_BILATERAL = "spastic-bilateral"
    SPASTIC_UNILATERAL = "spastic-unilateral"
    DYSKINETIC_DYSTONIC = "dyskinetic-dystonic"
    DYSKINETIC_CHOREOATHETOTIC = "dyskinetic-choreoathetotic"
    ATAXIC = "ataxic"
    NON_CLASSIFIABLE = "non-classifiable"
