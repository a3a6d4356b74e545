"""Translated labels for the inquiry form's choices, keyed by core's codes.

The GMFCS estimate uses short, neutral descriptions written for this form; they are not
the GMFCS descriptors (which are copyrighted and not reproduced), and the answer is an
estimate for the self-check only: a clinician assigns the level at the evaluation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stride.core.classification import LayLabel
from stride.core.eligibility.facts import Goal
from stride.core.eligibility.family_answers import (
    AffectedSides,
    GmfcsEstimate,
    HydrocephalusAnswer,
    PreviousTreatment,
    SeizureAnswer,
    TreatmentHistory,
)
from stride.core.pathway import Programme

PROGRAMME_CHOICES = [
    (Programme.SDR.value, _("Selective dorsal rhizotomy (SDR), an operation for stiff legs")),
    (Programme.CELL_THERAPY.value,
     _("Cell therapy (investigational: offered only inside a registered clinical trial)")),
    (Programme.REHABILITATION.value,
     _("Rehabilitation: a block of physiotherapy and other therapies")),
]

LAY_CP_TYPE_CHOICES = [
    (LayLabel.SPASTIC.value, _("Spastic: stiff, tight muscles")),
    (LayLabel.ATHETOID.value, _("Athetoid or dyskinetic: movements the child cannot control")),
    (LayLabel.MIXED.value, _("Mixed: more than one kind")),
    (LayLabel.DONT_KNOW.value, _("I don't know")),
]

AFFECTED_SIDES_CHOICES = [
    (AffectedSides.ONE_SIDE.value, _("One side of the body (an arm and a leg on the same side)")),
    (AffectedSides.BOTH_SIDES.value, _("Both sides, or both legs")),
    (AffectedSides.DONT_KNOW.value, _("I don't know")),
]

GMFCS_ESTIMATE_CHOICES = [
    (GmfcsEstimate.LEVEL_1.value, _("Walks without any help, indoors and outdoors")),
    (GmfcsEstimate.LEVEL_2.value, _("Walks without a walking aid, but with some limits")),
    (GmfcsEstimate.LEVEL_3.value, _("Walks with a hand-held walking aid")),
    (GmfcsEstimate.LEVEL_4.value, _("Moves mostly in a wheelchair or with help")),
    (GmfcsEstimate.LEVEL_5.value, _("Is carried or pushed in a wheelchair")),
    (GmfcsEstimate.DONT_KNOW.value, _("I don't know")),
]

SEIZURE_CHOICES = [
    (SeizureAnswer.NEVER.value, _("Never had seizures")),
    (SeizureAnswer.CONTROLLED.value, _("Has had seizures; they are controlled now")),
    (SeizureAnswer.NOT_CONTROLLED.value, _("Has seizures that are not controlled")),
    (SeizureAnswer.DONT_KNOW.value, _("I don't know")),
]

HYDROCEPHALUS_CHOICES = [
    (HydrocephalusAnswer.NO.value, _("No")),
    (HydrocephalusAnswer.SHUNT.value, _("Yes, treated with a shunt")),
    (HydrocephalusAnswer.NO_SHUNT.value, _("Yes, without a shunt")),
    (HydrocephalusAnswer.DONT_KNOW.value, _("I don't know")),
]

TREATMENT_LABELS = {
    PreviousTreatment.BOTULINUM_TOXIN: _("Botulinum toxin (Botox) injections"),
    PreviousTreatment.ORTHOPAEDIC_SURGERY: _("Operation on bones or muscles (orthopaedic)"),
    PreviousTreatment.SDR: _("Selective dorsal rhizotomy (SDR)"),
    PreviousTreatment.BACLOFEN_PUMP: _("Baclofen pump"),
    PreviousTreatment.CELL_THERAPY: _("Cell therapy"),
}

TREATMENT_HISTORY_CHOICES = [
    (TreatmentHistory.NEVER.value, _("Never")),
    (TreatmentHistory.HAD.value, _("Yes")),
    (TreatmentHistory.DONT_KNOW.value, _("I don't know")),
]

GOAL_CHOICES = [
    (Goal.WALKING.value, _("Walking")),
    (Goal.SITTING.value, _("Sitting")),
    (Goal.HAND_USE.value, _("Using the hands")),
    (Goal.COMFORT_CARE.value, _("Comfort and easier care")),
    (Goal.COGNITION.value, _("Thinking and learning")),
    (Goal.SPEECH.value, _("Speech")),
    (Goal.OTHER.value, _("Something else")),
]

#: Languages a child may speak (ISO 639-1 codes), shown by their CLDR names in the reader's
#: language (``platform.names.language_choices``); the first five are Stride's languages.
SPOKEN_LANGUAGES = ("en", "zh", "ar", "ru", "bg", "de", "fr", "es", "tr", "ro", "uk", "kk",
                    "fa", "ur", "hi", "el", "sr", "mk")
