"""Turning domain errors into translated messages for people."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stride.core.errors import IllegalTransition, StrideError
from stride.web.patients.models import StageChoices


def _stage_label(code: str) -> str:
    return str(StageChoices(code).label) if code in StageChoices.values else code


def user_message(error: StrideError) -> str:
    """Return a translated sentence for ``error``: what was wrong and what to do."""
    if isinstance(error, IllegalTransition):
        allowed = ", ".join(_stage_label(code) for code in error.allowed) or _("none")
        return _(
            "This case cannot move from %(current)s to %(target)s. "
            "Possible next stages: %(allowed)s."
        ) % {
            "current": _stage_label(error.current),
            "target": _stage_label(error.target),
            "allowed": allowed,
        }
    if error.code == "consent-already-withdrawn":
        return _("This consent has already been withdrawn; nothing was changed.")
    return error.message
