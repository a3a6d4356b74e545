"""Clinical instruments as frozen, validated value objects, one module per instrument.

``gmfcs`` (GMFCS-E&R with age bands), ``macs`` (MACS, Mini-MACS), ``cfcs``, ``edacs``
(EDACS, Mini-EDACS), ``mas`` (Modified Ashworth), ``tardieu`` (Modified Tardieu),
``gmfm88`` (items and their short labels, dimension and total percentages), ``gmfm66``
(item membership and the stored GMAE result), ``walk6`` (six-minute walk, metres),
``fms`` (Functional Mobility Scale). ``common`` holds the shared parts (levels, sides,
muscles, age at assessment and the parsers every module uses); ``levelled`` what the
five-level classifications share.

Each value object checks its invariants on construction, offers ``to_json()`` and a
``from_json()`` class method that accepts plain JSON values and raises
:class:`~stride.core.errors.InvalidValue` naming the field and the allowed values.
"""
