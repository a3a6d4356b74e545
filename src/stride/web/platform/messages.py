"""Domain errors as translated sentences: the one table of code → message.

``stride.core`` raises errors with a stable ``code`` (and, for :class:`InvalidValue`, the
field, the allowed values and a ``rule``); episode checks return :class:`Problem` codes.
People read the sentences here, in their language. Programs branch on codes, never on
English text. Errors raised by the web layer's own services carry a message already
translated when they were raised; an error whose code is not in the table reads as a
translated lead with core's detail (names, numbers, where) after it, so nothing core knows
is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stride.core.consents import ConsentMissing
from stride.core.errors import IllegalTransition, InvalidValue, StrideError
from stride.core.treatment.problems import Problem
from stride.web.platform.words import CONSENT_WORDS, STAGE_WORDS

_ABOVE_ZERO = _("Enter a number above zero.")
_BEFORE_BIRTH = _("This date is before the child's date of birth; check the date.")

#: Every code of core's errors and episode problems that people meet, with its sentence.
MESSAGES: Final[Mapping[str, Promise]] = MappingProxyType({
    # pathway and consents
    "illegal-transition": _(
        "This case cannot move from %(current)s to %(target)s. Possible next stages: "
        "%(allowed)s."),
    "consent-already-withdrawn": _(
        "This consent has already been withdrawn; nothing was changed."),
    "consent-missing": _(
        "This needs a consent the family has not given, or has withdrawn: %(missing)s. "
        "A guardian can give it on the “Your consents” page of the portal, or the care "
        "team can record a signed paper on the case page."),
    # assessments and candidacy
    "invalid-value:before-birth": _(
        "The assessment date is before the child's date of birth; check the date."),
    "invalid-value:in-the-future": _(
        "The assessment date is in the future; enter the day it was done."),
    "invalid-value:date-before-birth": _BEFORE_BIRTH,
    "invalid-value:after-assessment": _(
        "This date is after the assessment date; enter a date on or before it."),
    "invalid-value:age_at_assessment": _(
        "This instrument is not made for the child's age on the assessment date."),
    "invalid-value:override_reason": _(
        "Write the reason for overriding the engine; it is required."),
    "invalid-value:override_outcome": _(
        "Choose the outcome you decide on; it must differ from the engine's."),
    "invalid-value:meeting_url": _(
        "Enter a secure link that starts with https://, for example "
        "https://meet.example.org/abc."),
    "invalid-value:time_zone": _("Enter a time-zone name such as Europe/Sofia or Asia/Riyadh."),
    "invalid-value:control-character": _(
        "A name is written on one line, without tabs or other invisible control "
        "characters; please type it again."),
    "invalid-value:bidi-control": _(
        "This name holds an invisible character that changes the direction of the text; "
        "please type the name again without copying it from elsewhere."),
    # travellers named on a visa invitation
    "invalid-value:passport-format": _(
        "Enter the passport number as printed: 5 to 20 letters and digits, without "
        "spaces or dashes."),
    "invalid-value:birth-in-the-future": _(
        "This date of birth is in the future; enter it as printed in the passport."),
    "invalid-value:birth-implausible": _(
        "This date of birth is more than 120 years ago; check the year."),
    "invalid-value": _("This value is outside what is allowed."),
    # rootlet recordings (core names the file, channel or annotation after the lead)
    "recording-file": _("The recording file cannot be used."),
    "recording-content": _("The recording breaks the recording format."),
    "unknown-channel": _("A channel of the recording is not in the session's montage."),
    "unparseable-stimulation": _("A stimulation annotation of the recording cannot be read."),
    "overlapping-stimulations": _("Two stimulations of the recording overlap."),
    "stimulation-outside-recording": _("A stimulation's windows leave the recording."),
    "stimulation-window": _("A stimulation's samples do not fit its windows."),
    "chunk-refused": _("The stimulation was refused."),
    # episode problems (core's Problem codes)
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
    # the stage of the case (core.treatment.stages, programme policy)
    "case-not-scheduled": _(
        "The case is not scheduled for treatment yet: the decision is signed and the "
        "treatment planned first. Move the case to “scheduled”, then record the "
        "treatment."),
    "case-over": _(
        "This case is over (closed, declined or withdrawn); a new treatment belongs to a "
        "new case."),
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
    "unknown-level": _(
        "Use the levels L1 to S2 for the level of exposure, separated by commas: for "
        "example L1 for a single-level laminectomy, L2, L3, L4, L5, S1 for a multi-level "
        "one. The roots tested and cut are entered in the grid."),
    "level-not-exposed": _(
        "With a multi-level laminectomy a root's rootlets are counted only at a level that "
        "was exposed: add the root's level to the exposure, or clear this root's counts. "
        "After a single-level laminectomy every root from L1 to S2 can be counted."),
    "cut-above-tested": _("More rootlets cut than tested; check the two numbers."),
    "duplicate": _("This root and side is entered twice."),
    "grade-out-of-range": _("Choose a grade from 1 to 5."),
    "clavien-dindo-not-surgical": _(
        "The Clavien–Dindo grade is for complications of an operation only; "
        "leave it empty here."),
    # dates of what happened (episodes, their administrations, adverse events)
    "date-before-birth": _BEFORE_BIRTH,
    "date-in-the-future": _(
        "This date is in the future: record only what has happened, and leave an end "
        "date empty until it has passed."),
    "onset-before-episode": _(
        "The onset is before the episode began; an adverse event of a treatment starts on "
        "or after its first day."),
    "resolved-before-onset": _("The resolution date is before the onset; check both dates."),
    # records entered in error
    "episode-entered-in-error": _(
        "This episode is marked entered in error; record this on the right episode "
        "instead."),
    "already-entered-in-error": _(
        "This record is already marked entered in error; nothing was changed."),
    "reason-too-long": _("Shorten the reason to at most 2000 characters."),
})

#: A problem or error code that is not in the table (a new one): never a bare code.
_UNKNOWN = _("This value is not accepted; please check it.")


def problem_message(problem: Problem) -> str:
    """Return a translated sentence for one episode problem: what was wrong, how to fix it."""
    return str(MESSAGES.get(problem.code, _UNKNOWN))


def field_message(error: InvalidValue) -> str:
    """Return a translated sentence for a refused field value.

    Core's own detail (the allowed values, in English codes and numbers) follows the
    generic sentence, so nothing core knows is lost; named rules and fields have their own
    sentence.
    """
    for key in (f"invalid-value:{error.rule}", f"invalid-value:{error.field}",
                "invalid-value:time_zone" if error.field.endswith("time_zone") else ""):
        if key and key in MESSAGES:
            text = str(MESSAGES[key])
            return f"{text} ({error.allowed})" if key.endswith("age_at_assessment") else text
    return f"{MESSAGES['invalid-value']} ({error.allowed})"


def user_message(error: StrideError) -> str:
    """Return a translated sentence for ``error``: what was wrong and what to do."""
    if isinstance(error, IllegalTransition):
        return str(MESSAGES["illegal-transition"]) % {
            "current": _stage(error.current), "target": _stage(error.target),
            "allowed": ", ".join(_stage(code) for code in error.allowed) or gettext("none"),
        }
    if isinstance(error, InvalidValue):
        return field_message(error)
    if isinstance(error, ConsentMissing):
        return str(MESSAGES["consent-missing"]) % {
            "missing": "; ".join(str(CONSENT_WORDS[kind]) for kind in error.missing)}
    from_core = type(error).__module__.startswith("stride.core")
    lead = MESSAGES.get(error.code)
    if lead is not None:
        # Core's English detail (names, numbers, where) follows the lead; a web error's own
        # text adds nothing to the table's sentence.
        return f"{lead} {error.message}" if from_core and error.code not in _WHOLE_SENTENCES \
            else str(lead)
    if not from_core:
        return error.message  # raised by the web layer, translated when it was raised
    return f"{_UNKNOWN} ({error.message})"


#: Codes whose sentence says everything (core's detail adds nothing for a person).
_WHOLE_SENTENCES = frozenset({"consent-already-withdrawn"})


def _stage(code: str) -> str:
    return str(STAGE_WORDS.get(code, code))
