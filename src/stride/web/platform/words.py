"""Words for the codes of ``stride.core`` that every app shows: stages, programmes, consents.

Core fixes the codes; this is what a person reads for each, in their language. Model
choices, messages and pages take their labels from here, so a stage is named the same way
everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stride.core.consents import ConsentKind
from stride.core.pathway import Programme, Stage

STAGE_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    Stage.INQUIRY: _("Inquiry"),
    Stage.TRIAGE: _("Triage"),
    Stage.EVALUATION: _("Evaluation"),
    Stage.DECISION: _("Decision"),
    Stage.SCHEDULED: _("Scheduled"),
    Stage.TREATMENT: _("Treatment"),
    Stage.FOLLOW_UP: _("Follow-up"),
    Stage.CLOSED: _("Closed"),
    Stage.DECLINED: _("Declined"),
    Stage.WITHDRAWN: _("Withdrawn"),
})

PROGRAMME_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    Programme.SDR: _("Selective dorsal rhizotomy"),
    Programme.CELL_THERAPY: _("Cell therapy (investigational, trials only)"),
    Programme.REHABILITATION: _("Rehabilitation"),
})

#: Each kind of consent, as families and staff read it (model choices and messages).
CONSENT_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    ConsentKind.DATA_PROCESSING: _("Processing of the child's data"),
    ConsentKind.CROSS_BORDER_TRANSFER: _("Cross-border transfer of health data"),
    ConsentKind.TREATMENT: _("Treatment"),
    ConsentKind.RESEARCH: _("Research"),
    ConsentKind.STORY_PUBLICATION: _("Publication of the family's story"),
    ConsentKind.PHOTO_VIDEO: _("Photos and videos of the child in a published story"),
})
