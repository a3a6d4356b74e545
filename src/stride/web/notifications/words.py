"""The sentence of a notice, in the current language, from its kind and its few words.

Written when shown (the inbox in the reader's language, the e-mail in the recipient's),
never stored. No health detail: what happened and on which case, nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from stride.web.documents.models import LetterKind
from stride.web.notifications.models import Kind


def _letter_name(code: object) -> str:
    """The letter kind's name, or a plain "letter" for a kind this build does not know."""
    if isinstance(code, str) and code in LetterKind.values:
        return str(LetterKind(code).label).lower()
    return _("letter")


def describe(kind: str, args: Mapping[str, object]) -> str:
    """Return the sentence that says what happened (``args``: see ``Notification.args``)."""
    ref = {"reference": args.get("reference", "")}
    change = args.get("change")
    if kind == Kind.NEW_INQUIRY:
        return _("A new inquiry, %(reference)s, is in your queue.") % ref
    if kind == Kind.FAMILY_MESSAGE:
        return _("The family wrote a message on case %(reference)s.") % ref
    if kind == Kind.FAMILY_DOCUMENT:
        return _("The family added a document to case %(reference)s.") % ref
    if kind == Kind.CARE_TEAM:
        if change == "removed":
            return _("You were taken off the care team of case %(reference)s.") % ref
        if change == "made-responsible":
            return _("You are now the responsible clinician of case %(reference)s.") % ref
        return _("You were added to the care team of case %(reference)s.") % ref
    if kind == Kind.ESTIMATE_ANSWERED:
        if args.get("accepted"):
            return _("The family accepted the cost estimate of case %(reference)s.") % ref
        return _("The family has a question about the cost estimate of case "
                 "%(reference)s.") % ref
    if kind == Kind.FOLLOWUP_ANSWERED:
        return _("The family answered the follow-up questions of case %(reference)s.") % ref
    if kind == Kind.ADVERSE_EVENT:
        if args.get("reason") == "seizure":
            return _("Urgent: the family of case %(reference)s reported in their follow-up "
                     "answers something a doctor must read today.") % ref
        return _("Urgent: the family of case %(reference)s reported a problem after "
                 "treatment. Please read their report today.") % ref
    if kind == Kind.PROGRAMME_MESSAGE:
        if args.get("question"):
            return _("The programme asked you for more information about %(reference)s. "
                     "Please answer in the family portal.") % ref
        return _("The programme sent you a message about %(reference)s.") % ref
    if kind == Kind.DECISION_SIGNED:
        return _("A decision about your child's treatment was signed (%(reference)s). "
                 "Please read it in the family portal.") % ref
    if kind == Kind.LETTER_ISSUED:
        return _("A new letter is ready in the family portal: %(letter)s "
                 "(%(reference)s).") % {**ref, "letter": _letter_name(args.get("letter_kind"))}
    if kind == Kind.ESTIMATE_ISSUED:
        return _("A cost estimate is ready in the family portal (%(reference)s). You can "
                 "accept it or ask a question there.") % ref
    if kind == Kind.CONSULTATION:
        if change == "moved":
            return _("A video consultation of case %(reference)s was moved to another "
                     "time.") % ref
        if change == "cancelled":
            return _("A video consultation of case %(reference)s was cancelled.") % ref
        return _("A video consultation of case %(reference)s was booked.") % ref
    if kind == Kind.STORY:
        return _story_sentence(args.get("step"), ref)
    return _("Something changed on case %(reference)s.") % ref


def _story_sentence(step: object, ref: Mapping[str, object]) -> str:
    """A family story's step (the stories app's ``StoryStepped.step``) in a sentence."""
    if step == "awaiting-family":
        return _("A story about your child is ready for you to read and approve in the "
                 "family portal (%(reference)s).") % ref
    if step == "awaiting-clinician":
        return _("The family approved their story on case %(reference)s: please check its "
                 "medical statements.") % ref
    if step == "published":
        return _("Your family's story is published (%(reference)s). You can withdraw it at "
                 "any time in the family portal.") % ref
    if step == "changes-asked":
        return _("The family of case %(reference)s asked for changes to their story.") % ref
    if step == "sent-back":
        return _("A clinician sent the story of case %(reference)s back with a note.") % ref
    return _("A family story of case %(reference)s was withdrawn and has left the public "
             "site.") % ref


def _headline(kind: str, args: Mapping[str, object]) -> str:
    """A few words that name what happened (an e-mail's subject)."""
    change = args.get("change")
    headlines: dict[str, str] = {
        Kind.NEW_INQUIRY: _("A new inquiry in your queue"),
        Kind.FAMILY_MESSAGE: _("A new message from a family"),
        Kind.FAMILY_DOCUMENT: _("A family sent a document"),
        Kind.CARE_TEAM: _("A change to your care teams"),
        Kind.ESTIMATE_ANSWERED: _("A family answered a cost estimate"),
        Kind.FOLLOWUP_ANSWERED: _("A family sent follow-up answers"),
        Kind.ADVERSE_EVENT: (_("A family's follow-up answers need a doctor today")
                             if args.get("reason") == "seizure"
                             else _("A family reported a problem after treatment")),
        Kind.PROGRAMME_MESSAGE: _("A new message from the programme"),
        Kind.DECISION_SIGNED: _("A decision about treatment is ready"),
        Kind.LETTER_ISSUED: _("A new letter is ready"),
        Kind.ESTIMATE_ISSUED: _("A cost estimate is ready"),
        Kind.CONSULTATION: (_("A video consultation was moved") if change == "moved"
                            else _("A video consultation was cancelled")
                            if change == "cancelled" else _("A video consultation was booked")),
    }
    if kind == Kind.STORY:
        return _("A family story needs you") if args.get("step") in (
            "awaiting-family", "awaiting-clinician", "changes-asked", "sent-back") \
            else _("News about a family story")
    return headlines.get(kind) or _("Something changed on a case")


def subject(kind: str, args: Mapping[str, object], *, urgent: bool) -> str:
    """The e-mail's subject: what happened and the case's reference, marked when urgent."""
    words = {"what": _headline(kind, args), "reference": args.get("reference", "")}
    if urgent:
        return _("Urgent: %(what)s (%(reference)s)") % words
    return _("Stride: %(what)s (%(reference)s)") % words
