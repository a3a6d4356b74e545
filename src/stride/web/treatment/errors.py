"""Core's episode problems as translated sentences next to the field they belong to."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stride.core.treatment.problems import Problem

_ABOVE_ZERO = _("Enter a number above zero.")

#: Each problem code's sentence: what was wrong and how to fix it.
_MESSAGES: Mapping[str, Promise] = {
    "missing": _("This is required; please fill it in."),
    "trial-id-format": _(
        "This is not a trial registration id we recognise. Enter it as registered, "
        "for example NCT01234567, ChiCTR2000029953, ISRCTN12345678 or "
        "2008-005144-16."),
    "no-research-consent": _(
        "The family has not given a research consent, or has withdrawn it. Record "
        "the research consent on the child's page first."),
    "not-cell-therapy-programme": _(
        "A cell-therapy course can only be recorded on a case in the cell-therapy "
        "(investigational) programme."),
    "rootlet-session-other-case": _(
        "This rootlet session belongs to another case; choose one of this case's "
        "sessions."),
    "rootlet-session-already-linked": _(
        "This rootlet session is already linked to another SDR; each operation has "
        "its own session."),
    "rootlet-session-not-sdr": _(
        "Only a selective dorsal rhizotomy has an operating-room rootlet session."),
    "rootlet-session-already-set": _(
        "This SDR already has its rootlet session; open it from the treatment page."),
    "protocol-days": _(
        "Enter the protocol's visits as days after the first administration, "
        "separated by commas, for example 30, 90, 180."),
    "end-before-start": _("This date is before the start date; check both dates."),
    "not-positive": _ABOVE_ZERO,
    "negative": _ABOVE_ZERO,
    "hours-out-of-range": _("Enter the hours per week: more than 0 and at most 168."),
    "unknown-level": _("Use the levels L1 to S2, separated by commas, for example L2, L3, L4."),
    "level-not-exposed": _(
        "Rootlets can only be counted at an exposed level; add the level or "
        "clear the counts."),
    "cut-above-tested": _("More rootlets cut than tested; check the two numbers."),
    "duplicate": _("This level and side is entered twice."),
    "grade-out-of-range": _("Choose a grade from 1 to 5."),
    "clavien-dindo-not-surgical": _(
        "The Clavien–Dindo grade is for complications of an operation only; "
        "leave it empty here."),
}
_UNKNOWN = _("This value is not accepted; please check it.")


def problem_message(problem: Problem) -> str:
    """Return a translated sentence saying what was wrong and how to fix it."""
    return str(_MESSAGES.get(problem.code, _UNKNOWN))
