"""The programme's profile for letters, e-mails and pages: one row, read once per request.

``programme_profile()`` returns the administrators' :class:`ProgrammeProfile`, or ``None``
while none has been entered: templates then leave the letterhead, contacts and signatory
out rather than print anything made up. The context processor puts it in every template as
``programme``.
"""

from __future__ import annotations

from django.http import HttpRequest

from stride.web.platform.models import ProgrammeProfile


def programme_profile() -> ProgrammeProfile | None:
    """The programme's profile, or ``None`` if administrators have not entered one yet."""
    return ProgrammeProfile.objects.order_by("id").first()


def programme(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``programme`` in every template (read lazily, once)."""
    cached: list[ProgrammeProfile | None] = []

    def load() -> ProgrammeProfile | None:
        if not cached:
            cached.append(programme_profile())
        return cached[0]

    return {"programme": _Lazy(load)}


class _Lazy:
    """Reads the profile the first time a template asks for one of its fields."""

    def __init__(self, load: object) -> None:
        self._load = load

    def __getattr__(self, name: str) -> object:
        profile = self._load()  # type: ignore[operator]
        return getattr(profile, name) if profile is not None else ""

    def __bool__(self) -> bool:
        return self._load() is not None  # type: ignore[operator]
