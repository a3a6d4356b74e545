"""Look up reference sets by name (and version)."""

from __future__ import annotations

from stride.core.errors import InvalidValue
from stride.core.natural_history.model import ReferenceSet
from stride.core.natural_history.sets import ALL_SETS


def list_references() -> tuple[ReferenceSet, ...]:
    """Return every reference set, usable or pending, ordered by name then version."""
    return tuple(ALL_SETS[key] for key in sorted(ALL_SETS))


def _usable_names() -> list[str]:
    return sorted({s.name for s in ALL_SETS.values() if s.status.usable})


def get_reference(name: str, version: int | None = None) -> ReferenceSet:
    """Return the reference set ``name`` (its latest version, or ``version``).

    ``name`` may also carry the version as ``"shanghai-2012@1"`` (the stored key).

    Raises
    ------
    InvalidValue
        Field ``reference``, for an unknown name or version or a pending set; the message
        lists the usable sets.
    """
    given = name if version is None else f"{name}@{version}"
    if version is None and "@" in name:
        name, _, version_text = name.partition("@")
        version = int(version_text) if version_text.isdigit() else -1
    versions = sorted(v for (n, v) in ALL_SETS if n == name)
    allowed = ", ".join(_usable_names())
    if not versions or (version is not None and version not in versions):
        raise InvalidValue("reference", given, allowed)
    reference = ALL_SETS[(name, versions[-1] if version is None else version)]
    if not reference.status.usable:
        raise InvalidValue(
            "reference",
            given,
            f"{allowed} ({reference.name} is pending verification and cannot be used)",
        )
    return reference
