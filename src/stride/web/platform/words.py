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


#: The muscles, joint movements and muscle groups of the examination (core's ``Muscle``,
#: ``Joint``, ``StrengthGroup`` codes), as a clinician names them: form labels, the
#: workspace and imported records say these, never the code.
BODY_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    # Muscles (Modified Ashworth, Tardieu, botulinum toxin)
    "hip-adductors": _("hip adductors"),
    "hip-flexors": _("hip flexors"),
    "hip-internal-rotators": _("hip internal rotators"),
    "hamstrings": _("hamstrings"),
    "rectus-femoris": _("rectus femoris"),
    "quadriceps": _("quadriceps"),
    "gastrocnemius": _("gastrocnemius"),
    "soleus": _("soleus"),
    "tibialis-posterior": _("tibialis posterior"),
    "shoulder-adductors": _("shoulder adductors"),
    "elbow-flexors": _("elbow flexors"),
    "forearm-pronators": _("forearm pronators"),
    "wrist-flexors": _("wrist flexors"),
    "finger-flexors": _("finger flexors"),
    # Joint movements (range of motion)
    "hip-flexion": _("hip flexion"),
    "hip-extension": _("hip extension"),
    "hip-abduction": _("hip abduction"),
    "hip-internal-rotation": _("hip internal rotation"),
    "hip-external-rotation": _("hip external rotation"),
    "popliteal-angle": _("popliteal angle"),
    "knee-extension": _("knee extension"),
    "ankle-dorsiflexion-knee-extended": _("ankle dorsiflexion, knee extended"),
    "ankle-dorsiflexion-knee-flexed": _("ankle dorsiflexion, knee flexed"),
    # Muscle groups (strength, MRC)
    "hip-extensors": _("hip extensors"),
    "hip-abductors": _("hip abductors"),
    "knee-extensors": _("knee extensors"),
    "knee-flexors": _("knee flexors"),
    "ankle-dorsiflexors": _("ankle dorsiflexors"),
    "ankle-plantarflexors": _("ankle plantarflexors"),
    "shoulder-abductors": _("shoulder abductors"),
    "elbow-extensors": _("elbow extensors"),
    "wrist-extensors": _("wrist extensors"),
})


def body_words(code: str) -> str:
    """The words for a muscle, joint movement or muscle group code (the code's own words,
    hyphens as spaces, only for a code this table does not know yet)."""
    words = BODY_WORDS.get(code)
    return str(words) if words is not None else code.replace("-", " ")
