"""FHIR R4 mapping of one child's record: plain values in, a Bundle (plain dict) out, and back.

* :mod:`.record` — the frozen dataclasses describing one child's record (no Django);
  ``stride.web.fhir`` fills them from the database and stores what an import gives.
* :mod:`.export` — :class:`~.record.ChildRecord` → FHIR R4 Bundle (``dict``).
* :mod:`.parse` — Bundle (``dict``) → :class:`~.record.ChildRecord`, or per-entry errors.
* :mod:`.codesystem` — the Stride CodeSystem published with every export.
* :mod:`.codes` — every code used, with its terminology source.

See ``docs/fhir.md``.
"""
