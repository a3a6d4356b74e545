"""Reads for portal pages (after access was granted), and the case status in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stride.core.pathway import Stage
from stride.web.accounts.models import User
from stride.web.coordination.models import Message
from stride.web.coordination.selectors import FamilyEstimate, family_estimate
from stride.web.documents.models import Document, Letter
from stride.web.followup.models import Visit
from stride.web.patients.models import Case

#: What each stage means for the family, in plain words.
STATUS_WORDS: Mapping[Stage, Promise] = MappingProxyType({
    Stage.INQUIRY: _("We have received your inquiry. A coordinator will read it and aims to "
                     "write to you within two working days."),
    Stage.TRIAGE: _("A coordinator is reading your inquiry and your child's documents."),
    Stage.EVALUATION: _("A doctor is evaluating your child's records and videos."),
    Stage.DECISION: _("Our team is deciding whether the treatment is right for your child."),
    Stage.SCHEDULED: _("Your child's treatment is planned. We will write to you about the "
                       "dates and travel."),
    Stage.TREATMENT: _("Your child is having the treatment."),
    Stage.FOLLOW_UP: _("Your child's treatment is done; we follow their progress with you."),
    Stage.CLOSED: _("This case is closed."),
    Stage.DECLINED: _("Our team decided that this treatment is not right for your child. We "
                      "have written to you with the reasons."),
    Stage.WITHDRAWN: _("You have withdrawn this inquiry."),
})


def family_cases(user: User) -> QuerySet[Case]:
    """Return the cases of the children ``user`` is a guardian of."""
    return (Case.objects.filter(patient__guardians__user=user).select_related("patient")
            .distinct().order_by("-opened_at", "id"))


@dataclass(frozen=True)
class PortalCasePage:
    """What the family sees of one case."""

    case: Case
    status: str
    messages: list[Message]
    documents: list[Document]
    letters: list[Letter]
    open_visits: list[Visit]
    #: The newest cost estimate sent to the family (``None``: none yet).
    estimate: FamilyEstimate | None = None


def case_page(case: Case) -> PortalCasePage:
    """Return the status, conversation, documents, letters and open follow-up visits of
    ``case``."""
    return PortalCasePage(
        case=case,
        status=str(STATUS_WORDS[case.stage_enum]),
        messages=list(Message.objects.filter(case=case).select_related("author")),
        documents=list(Document.objects.filter(case=case)),
        letters=list(Letter.objects.filter(case=case)),
        open_visits=list(Visit.objects.filter(case=case, completed_at__isnull=True,
                                              cancelled_at__isnull=True)),
        estimate=family_estimate(case),
    )
