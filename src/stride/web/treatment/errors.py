"""Core's episode problems as translated sentences next to the field they belong to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stride.core.treatment.problems import Problem


def problem_message(problem: Problem) -> str:
    """Return a translated sentence saying what was wrong and how to fix it."""
    code = problem.code
    if code == "missing":
        return _("This is required; please fill it in.")
    if code == "trial-id-format":
        return _("This is not a trial registration id we recognise. Enter it as registered, "
                 "for example NCT01234567, ChiCTR2000029953, ISRCTN12345678 or "
                 "2008-005144-16.")
    if code == "no-research-consent":
        return _("The family has not given a research consent, or has withdrawn it. Record "
                 "the research consent on the child's page first.")
    if code == "not-cell-therapy-programme":
        return _("A cell-therapy course can only be recorded on a case in the cell-therapy "
                 "(investigational) programme.")
    if code == "rootlet-session-other-case":
        return _("This rootlet session belongs to another case; choose one of this case's "
                 "sessions.")
    if code == "rootlet-session-already-linked":
        return _("This rootlet session is already linked to another SDR; each operation has "
                 "its own session.")
    if code == "protocol-days":
        return _("Enter the protocol's visits as days after the first administration, "
                 "separated by commas, for example 30, 90, 180.")
    if code == "end-before-start":
        return _("This date is before the start date; check both dates.")
    if code in {"not-positive", "negative"}:
        return _("Enter a number above zero.")
    if code == "hours-out-of-range":
        return _("Enter the hours per week: more than 0 and at most 168.")
    if code == "unknown-level":
        return _("Use the levels L1 to S2, separated by commas, for example L2, L3, L4.")
    if code == "level-not-exposed":
        return _("Rootlets can only be counted at an exposed level; add the level or "
                 "clear the counts.")
    if code == "cut-above-tested":
        return _("More rootlets cut than tested; check the two numbers.")
    if code == "duplicate":
        return _("This level and side is entered twice.")
    if code == "grade-out-of-range":
        return _("Choose a grade from 1 to 5.")
    if code == "clavien-dindo-not-surgical":
        return _("The Clavien–Dindo grade is for complications of an operation only; "
                 "leave it empty here.")
    return _("This value is not accepted; please check it.")
