"""Core's input errors as translated sentences for the field they belong to."""

from __future__ import annotations

from django.utils.translation import gettext as _

from stride.core.errors import InvalidValue, StrideError
from stride.web.platform.messages import user_message


def field_message(error: InvalidValue) -> str:
    """Return a translated sentence: what was wrong with the field and how to fix it.

    Core's own detail (the allowed values, in English codes and numbers) follows the
    sentence, so nothing core knows is lost.
    """
    field = error.field
    if field == "assessed_on":
        if "birth" in error.allowed:
            lead = _("The assessment date is before the child's date of birth; check the date.")
        else:
            lead = _("The assessment date is in the future; enter the day it was done.")
        return lead
    if field == "age_at_assessment":
        lead = _("This instrument is not made for the child's age on the assessment date.")
        return f"{lead} ({error.allowed})"
    if field == "override_reason":
        return _("Write the reason for overriding the engine; it is required.")
    if field == "override_outcome":
        return _("Choose the outcome you decide on; it must differ from the engine's.")
    if field == "meeting_url":
        return _("Enter a secure link that starts with https://, for example "
                 "https://meet.example.org/abc.")
    if field.endswith("time_zone"):
        return _("Enter a time-zone name such as Europe/Sofia or Asia/Riyadh.")
    lead = _("This value is outside what the instrument allows.")
    return f"{lead} ({error.allowed})"


def error_message(error: StrideError) -> str:
    """Return a translated sentence for any error a sign-off or an assessment can raise."""
    if isinstance(error, InvalidValue):
        return field_message(error)
    if error.code == "not-responsible-clinician":
        return _("Only the case's responsible clinician signs the decision. You can add "
                 "your view as a note for the review.")
    if error.code == "decision-already-signed":
        return _("A decision under this rule set has already been signed for this case; "
                 "it cannot be signed again.")
    return user_message(error)
