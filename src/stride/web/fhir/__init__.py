"""HL7 FHIR R4: a child's record exported and imported as a Bundle, and a read-only REST
endpoint for partner systems."""
