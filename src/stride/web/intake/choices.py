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

#: Languages a child may speak (ISO 639-1 codes); the first five are Stride's languages.
SPOKEN_LANGUAGE_CHOICES = [
    ("en", _("English")), ("zh", _("Chinese")), ("ar", _("Arabic")), ("ru", _("Russian")),
    ("bg", _("Bulgarian")), ("de", _("German")), ("fr", _("French")), ("es", _("Spanish")),
    ("tr", _("Turkish")), ("ro", _("Romanian")), ("uk", _("Ukrainian")), ("kk", _("Kazakh")),
    ("fa", _("Persian")), ("ur", _("Urdu")), ("hi", _("Hindi")), ("el", _("Greek")),
    ("sr", _("Serbian")), ("mk", _("Macedonian")),
]

#: Countries families write from (ISO 3166-1 alpha-2). Extend as programmes reach further.
COUNTRY_CHOICES = [
    ("AE", _("United Arab Emirates")), ("AM", _("Armenia")), ("AT", _("Austria")),
    ("AZ", _("Azerbaijan")), ("BG", _("Bulgaria")), ("BH", _("Bahrain")), ("BY", _("Belarus")),
    ("CN", _("China")), ("CY", _("Cyprus")), ("CZ", _("Czechia")), ("DE", _("Germany")),
    ("DZ", _("Algeria")), ("EG", _("Egypt")), ("ES", _("Spain")), ("FR", _("France")),
    ("GB", _("United Kingdom")), ("GE", _("Georgia")), ("GR", _("Greece")),
    ("HK", _("Hong Kong")), ("IN", _("India")), ("IQ", _("Iraq")), ("IT", _("Italy")),
    ("JO", _("Jordan")), ("KG", _("Kyrgyzstan")), ("KW", _("Kuwait")), ("KZ", _("Kazakhstan")),
    ("LB", _("Lebanon")), ("LY", _("Libya")), ("MA", _("Morocco")), ("MD", _("Moldova")),
    ("MK", _("North Macedonia")), ("MN", _("Mongolia")), ("OM", _("Oman")),
    ("PK", _("Pakistan")), ("PL", _("Poland")), ("QA", _("Qatar")), ("RO", _("Romania")),
    ("RS", _("Serbia")), ("RU", _("Russia")), ("SA", _("Saudi Arabia")), ("SG", _("Singapore")),
    ("TJ", _("Tajikistan")), ("TN", _("Tunisia")), ("TR", _("Türkiye")), ("TW", _("Taiwan")),
    ("UA", _("Ukraine")), ("US", _("United States")), ("UZ", _("Uzbekistan")),
    ("YE", _("Yemen")),
]
