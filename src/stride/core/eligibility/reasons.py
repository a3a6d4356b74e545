"""Reason codes of rule results and their English wording for clinicians.

A rule result carries a stable :class:`Reason` code and a dict of parameters (the values
the rule looked at and the thresholds it used). Programs store and compare the code; people
read :func:`reason_text`. :data:`REASON_TEMPLATES` is the one table of every code with its
English template (``str.format`` fields named after the parameters); the web layer keeps a
translated twin of it and checks that every code is translated. :data:`FACT_LABELS` words
every fact in plain English (the ``facts`` of a missing result are shown with it, never as
codes); the web layer keeps a translated twin of it too.

Parameter values are strings, numbers or tuples of strings; :func:`render` writes numbers
without trailing zeros (``2.0`` -> ``2``) and joins tuples with commas.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeAlias

from stride.core.eligibility.facts import Fact

#: A reason parameter value.
Param: TypeAlias = str | int | float | tuple[str, ...]


class Reason(StrEnum):
    """Why a rule gave its result; the value is the stored code."""

    MISSING_FACTS = "missing-facts"
    # sdr-v1: motor type
    DYSKINETIC_SUBTYPE = "dyskinetic-subtype"
    ATAXIC_SUBTYPE = "ataxic-subtype"
    SUBTYPE_NOT_DYSKINETIC_OR_ATAXIC = "subtype-not-dyskinetic-or-ataxic"
    SUBTYPE_NON_CLASSIFIABLE = "subtype-non-classifiable"
    SUBTYPE_CLASSIFIED = "subtype-classified"
    DYSTONIA_PREDOMINANT = "dystonia-predominant"
    DYSTONIA_NOT_PREDOMINANT = "dystonia-not-predominant"
    DYSTONIA_PRESENT = "dystonia-present"
    NO_DYSTONIA = "no-dystonia"
    # sdr-v1: age and function
    AGE_BELOW_MINIMUM = "age-below-minimum"
    AGE_AT_LEAST_MINIMUM = "age-at-least-minimum"
    AGE_BELOW_TYPICAL_RANGE = "age-below-typical-range"
    AGE_ABOVE_TYPICAL_RANGE = "age-above-typical-range"
    AGE_IN_TYPICAL_RANGE = "age-in-typical-range"
    GMFCS_OUTSIDE_TYPICAL_LEVELS = "gmfcs-outside-typical-levels"
    GMFCS_TYPICAL_LEVEL = "gmfcs-typical-level"
    # sdr-v1: hips, spine, strength, MRI
    HIP_MIGRATION_ABOVE_LIMIT = "hip-migration-above-limit"
    HIP_MIGRATION_WITHIN_LIMIT = "hip-migration-within-limit"
    SIGNIFICANT_SCOLIOSIS = "significant-scoliosis"
    NO_SIGNIFICANT_SCOLIOSIS = "no-significant-scoliosis"
    LEG_STRENGTH_BELOW_MINIMUM = "leg-strength-below-minimum"
    LEG_STRENGTH_AT_LEAST_MINIMUM = "leg-strength-at-least-minimum"
    MRI_DEEP_GREY_OR_CEREBELLAR_LESION = "mri-deep-grey-or-cerebellar-lesion"
    MRI_NO_DEEP_GREY_OR_CEREBELLAR_LESION = "mri-no-deep-grey-or-cerebellar-lesion"
    # both rule sets: recent treatment
    ORTHOPAEDIC_SURGERY_RECENT = "orthopaedic-surgery-recent"
    ORTHOPAEDIC_SURGERY_NOT_RECENT = "orthopaedic-surgery-not-recent"
    NO_ORTHOPAEDIC_SURGERY = "no-orthopaedic-surgery"
    BOTULINUM_TOXIN_RECENT = "botulinum-toxin-recent"
    BOTULINUM_TOXIN_NOT_RECENT = "botulinum-toxin-not-recent"
    NO_BOTULINUM_TOXIN = "no-botulinum-toxin"
    # cell-therapy-investigational-v1
    INVESTIGATIONAL_TRIAL_ONLY = "investigational-trial-only"
    TRIAL_REGISTRATION_MALFORMED = "trial-registration-malformed"
    REGISTERED_TRIAL = "registered-trial"
    EPILEPSY_UNCONTROLLED = "epilepsy-uncontrolled"
    SEIZURE_FREE_TOO_SHORT = "seizure-free-too-short"
    SEIZURE_FREE_LONG_ENOUGH = "seizure-free-long-enough"
    EPILEPSY_PRESENT = "epilepsy-present"
    NO_EPILEPSY = "no-epilepsy"
    HYDROCEPHALUS_PRESENT = "hydrocephalus-present"
    NO_HYDROCEPHALUS = "no-hydrocephalus"
    COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY = (
        "cognition-goal-with-severe-intellectual-disability"
    )
    INTELLECTUAL_DISABILITY_NOT_SEVERE = "intellectual-disability-not-severe"
    COGNITION_NOT_A_GOAL = "cognition-not-a-goal"
    AUTISM_WITHOUT_MOTOR_DISORDER = "autism-without-motor-disorder"
    NO_AUTISM_WITHOUT_MOTOR_DISORDER = "no-autism-without-motor-disorder"
    PROGRESSIVE_OR_GENETIC_DISORDER = "progressive-or-genetic-disorder"
    NO_PROGRESSIVE_OR_GENETIC_DISORDER = "no-progressive-or-genetic-disorder"
    BRAIN_MALFORMATION = "brain-malformation"
    NO_BRAIN_MALFORMATION = "no-brain-malformation"
    PRIOR_CELL_THERAPY = "prior-cell-therapy"
    NO_PRIOR_CELL_THERAPY = "no-prior-cell-therapy"
    # sdr-v2: spasticity, selective motor control, strength in walkers, hips, MRI, surgery
    NO_LEG_SPASTICITY = "no-leg-spasticity"
    LEG_SPASTICITY_PRESENT = "leg-spasticity-present"
    LEG_SPASTICITY_BELOW_TARGET = "leg-spasticity-below-target"
    LEG_SPASTICITY_AT_TARGET = "leg-spasticity-at-target"
    SELECTIVE_MOTOR_CONTROL_NOT_GOOD = "selective-motor-control-not-good"
    SELECTIVE_MOTOR_CONTROL_GOOD = "selective-motor-control-good"
    WALKER_LEG_STRENGTH_BELOW_MINIMUM = "walker-leg-strength-below-minimum"
    NOT_A_WALKER = "not-a-walker"
    HIP_MIGRATION_AT_OR_ABOVE_LIMIT = "hip-migration-at-or-above-limit"
    HIP_MIGRATION_BELOW_LIMIT = "hip-migration-below-limit"
    MRI_NO_PVL = "mri-no-pvl"
    MRI_PVL = "mri-pvl"
    PREVIOUS_MULTILEVEL_SURGERY = "previous-multilevel-surgery"
    NO_PREVIOUS_MULTILEVEL_SURGERY = "no-previous-multilevel-surgery"


_R = Reason

#: English template of every reason code (for clinicians and the command line).
REASON_TEMPLATES: Final[Mapping[Reason, str]] = MappingProxyType({
    _R.MISSING_FACTS: "Not known yet: {facts}. The rule cannot be checked without it.",
    _R.DYSKINETIC_SUBTYPE: (
        "The predominant motor type is {scpe_subtype}; SDR reduces spasticity, not dyskinesia."
    ),
    _R.ATAXIC_SUBTYPE: "The predominant motor type is ataxic; SDR reduces spasticity, not ataxia.",
    _R.SUBTYPE_NOT_DYSKINETIC_OR_ATAXIC: (
        "The predominant motor type is {scpe_subtype}: neither dyskinetic nor ataxic."
    ),
    _R.SUBTYPE_NON_CLASSIFIABLE: (
        "The motor type is non-classifiable; the team should confirm that spasticity is the "
        "main problem."
    ),
    _R.SUBTYPE_CLASSIFIED: "The predominant motor type is classified ({scpe_subtype}).",
    _R.DYSTONIA_PREDOMINANT: "Dystonia is predominant; SDR reduces spasticity, not dystonia.",
    _R.DYSTONIA_NOT_PREDOMINANT: "Dystonia is not predominant ({dystonia}).",
    _R.DYSTONIA_PRESENT: (
        "Dystonia is present ({dystonia}); the team should judge how much of the movement "
        "problem it explains."
    ),
    _R.NO_DYSTONIA: "No dystonia.",
    _R.AGE_BELOW_MINIMUM: (
        "Age is below the minimum of {minimum_years} years (age in years: {age_years})."
    ),
    _R.AGE_AT_LEAST_MINIMUM: (
        "Age is at least {minimum_years} years (age in years: {age_years})."
    ),
    _R.AGE_BELOW_TYPICAL_RANGE: (
        "Age is below the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years}); centres differ on younger children."
    ),
    _R.AGE_ABOVE_TYPICAL_RANGE: (
        "Age is above the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years}); centres differ on older children."
    ),
    _R.AGE_IN_TYPICAL_RANGE: (
        "Age is within the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years})."
    ),
    _R.GMFCS_OUTSIDE_TYPICAL_LEVELS: (
        "GMFCS level {gmfcs_level} is outside levels {typical_levels}, where SDR is usually "
        "offered; centres differ."
    ),
    _R.GMFCS_TYPICAL_LEVEL: "GMFCS level {gmfcs_level} is within levels {typical_levels}.",
    _R.HIP_MIGRATION_ABOVE_LIMIT: (
        "Hip migration {hip_migration_percent}% is above {limit_percent}%; the hips may need "
        "treatment first."
    ),
    _R.HIP_MIGRATION_WITHIN_LIMIT: (
        "Hip migration {hip_migration_percent}% is not above {limit_percent}%."
    ),
    _R.SIGNIFICANT_SCOLIOSIS: "Significant scoliosis; the spine needs assessment first.",
    _R.NO_SIGNIFICANT_SCOLIOSIS: "No significant scoliosis.",
    _R.LEG_STRENGTH_BELOW_MINIMUM: (
        "Mean leg strength MRC {leg_strength_mrc_mean} is below MRC {minimum_mrc}."
    ),
    _R.LEG_STRENGTH_AT_LEAST_MINIMUM: (
        "Mean leg strength MRC {leg_strength_mrc_mean} is at least MRC {minimum_mrc}."
    ),
    _R.MRI_DEEP_GREY_OR_CEREBELLAR_LESION: (
        "MRI shows a lesion some centres exclude: {lesions}."
    ),
    _R.MRI_NO_DEEP_GREY_OR_CEREBELLAR_LESION: (
        "MRI shows no basal-ganglia or cerebellar lesion ({mri_findings})."
    ),
    _R.ORTHOPAEDIC_SURGERY_RECENT: (
        "Orthopaedic surgery less than {interval_months} months ago (months since: "
        "{months_since_orthopaedic_surgery})."
    ),
    _R.ORTHOPAEDIC_SURGERY_NOT_RECENT: (
        "Orthopaedic surgery at least {interval_months} months ago (months since: "
        "{months_since_orthopaedic_surgery})."
    ),
    _R.NO_ORTHOPAEDIC_SURGERY: "No orthopaedic surgery.",
    _R.BOTULINUM_TOXIN_RECENT: (
        "Botulinum toxin less than {interval_months} months ago (months since: "
        "{months_since_botulinum_toxin})."
    ),
    _R.BOTULINUM_TOXIN_NOT_RECENT: (
        "Botulinum toxin at least {interval_months} months ago (months since: "
        "{months_since_botulinum_toxin})."
    ),
    _R.NO_BOTULINUM_TOXIN: "No botulinum toxin.",
    _R.INVESTIGATIONAL_TRIAL_ONLY: (
        "No trial registration: cell therapy for CP is unproven and is offered only inside a "
        "registered trial."
    ),
    _R.TRIAL_REGISTRATION_MALFORMED: (
        "'{trial_registration}' is not a trial registration id (accepted forms: "
        "{accepted_forms}); cell therapy for CP is offered only inside a registered trial."
    ),
    _R.REGISTERED_TRIAL: "Inside registered trial {trial_id} ({registry}).",
    _R.EPILEPSY_UNCONTROLLED: "Epilepsy is not controlled.",
    _R.SEIZURE_FREE_TOO_SHORT: (
        "Epilepsy is controlled, but seizure-free for less than {minimum_months} months "
        "(months seizure-free: {seizure_free_months})."
    ),
    _R.SEIZURE_FREE_LONG_ENOUGH: (
        "Epilepsy is controlled and seizure-free for at least {minimum_months} months "
        "(months seizure-free: {seizure_free_months})."
    ),
    _R.EPILEPSY_PRESENT: "Epilepsy ({epilepsy}); the team reviews the seizure history.",
    _R.NO_EPILEPSY: "No epilepsy.",
    _R.HYDROCEPHALUS_PRESENT: "Hydrocephalus ({hydrocephalus}).",
    _R.NO_HYDROCEPHALUS: "No hydrocephalus.",
    _R.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY: (
        "Severe intellectual disability with cognition among the goals."
    ),
    _R.INTELLECTUAL_DISABILITY_NOT_SEVERE: (
        "Intellectual disability is not severe ({intellectual_disability})."
    ),
    _R.COGNITION_NOT_A_GOAL: "Cognition is not among the goals ({goals}).",
    _R.AUTISM_WITHOUT_MOTOR_DISORDER: "Autism without a motor disorder.",
    _R.NO_AUTISM_WITHOUT_MOTOR_DISORDER: "No autism without a motor disorder.",
    _R.PROGRESSIVE_OR_GENETIC_DISORDER: "A progressive or genetic disorder.",
    _R.NO_PROGRESSIVE_OR_GENETIC_DISORDER: "No progressive or genetic disorder.",
    _R.BRAIN_MALFORMATION: "A brain malformation.",
    _R.NO_BRAIN_MALFORMATION: "No brain malformation.",
    _R.PRIOR_CELL_THERAPY: "Cell therapy was given before.",
    _R.NO_PRIOR_CELL_THERAPY: "No cell therapy before.",
    _R.NO_LEG_SPASTICITY: (
        "No leg muscle graded shows increased tone (highest Modified Ashworth grade: "
        "{leg_spasticity_mas}); SDR treats spasticity."
    ),
    _R.LEG_SPASTICITY_PRESENT: (
        "Increased tone in the legs (highest Modified Ashworth grade: {leg_spasticity_mas})."
    ),
    _R.LEG_SPASTICITY_BELOW_TARGET: (
        "The highest Modified Ashworth grade in the legs is {leg_spasticity_mas}, below "
        "{target_grade}; the team should confirm that spasticity limits function."
    ),
    _R.LEG_SPASTICITY_AT_TARGET: (
        "The highest Modified Ashworth grade in the legs is {leg_spasticity_mas}, at least "
        "{target_grade}."
    ),
    _R.SELECTIVE_MOTOR_CONTROL_NOT_GOOD: (
        "Selective motor control in the legs is judged {leg_selective_motor_control}, not "
        "good."
    ),
    _R.SELECTIVE_MOTOR_CONTROL_GOOD: "Selective motor control in the legs is judged good.",
    _R.WALKER_LEG_STRENGTH_BELOW_MINIMUM: (
        "The child walks (GMFCS level {gmfcs_level}) and mean leg strength MRC "
        "{leg_strength_mrc_mean} is below MRC {minimum_mrc}."
    ),
    _R.NOT_A_WALKER: (
        "GMFCS level {gmfcs_level}: the leg-strength limit for children who walk does not "
        "apply."
    ),
    _R.HIP_MIGRATION_AT_OR_ABOVE_LIMIT: (
        "Hip migration {hip_migration_percent}% is not below {limit_percent}%; the hips may "
        "need treatment first."
    ),
    _R.HIP_MIGRATION_BELOW_LIMIT: (
        "Hip migration {hip_migration_percent}% is below {limit_percent}%."
    ),
    _R.MRI_NO_PVL: (
        "MRI shows no periventricular leukomalacia (PVL), the finding some centres look "
        "for ({mri_findings})."
    ),
    _R.MRI_PVL: "MRI shows periventricular leukomalacia (PVL).",
    _R.PREVIOUS_MULTILEVEL_SURGERY: "Multilevel orthopaedic surgery was done before.",
    _R.NO_PREVIOUS_MULTILEVEL_SURGERY: "No multilevel orthopaedic surgery before.",
})


_F = Fact

_MRI_WORDS: Final[Mapping[str, str]] = MappingProxyType({
    "normal": "normal", "pvl": "periventricular leukomalacia",
    "basal-ganglia": "basal ganglia or thalamus lesion",
    "cortical-subcortical": "cortical or subcortical lesion", "cerebellar": "cerebellar lesion",
    "malformation": "brain malformation", "other": "other finding",
})

#: Every fact in plain English words, for sentences such as "Not known yet: ...". The web
#: layer keeps a translated twin; a test checks that every fact has a label here.
FACT_LABELS: Final[Mapping[Fact, str]] = MappingProxyType({
    _F.AGE_YEARS: "the child's age",
    _F.SCPE_SUBTYPE: "the main type of cerebral palsy (spastic, dyskinetic or ataxic)",
    _F.GMFCS: "the GMFCS level",
    _F.DYSTONIA: "whether the child has dystonia, and how much",
    _F.EPILEPSY: "whether the child has epilepsy, and whether it is controlled",
    _F.SEIZURE_FREE_MONTHS: "how many months the child has been free of seizures",
    _F.HYDROCEPHALUS: "whether the child has hydrocephalus, and whether it is shunted",
    _F.INTELLECTUAL_DISABILITY: "whether the child has an intellectual disability, and how "
    "severe it is",
    _F.AUTISM_WITHOUT_MOTOR_DISORDER: "whether the child has autism without a motor disorder",
    _F.PROGRESSIVE_OR_GENETIC_DISORDER: "whether the child has a progressive or genetic "
    "disorder",
    _F.BRAIN_MALFORMATION: "whether the child has a brain malformation",
    _F.PRIOR_CELL_THERAPY: "whether the child has had cell therapy before",
    _F.MONTHS_SINCE_BOTULINUM_TOXIN: "when the child last had botulinum toxin, if ever",
    _F.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: "when the child last had orthopaedic surgery, if ever",
    _F.HIP_MIGRATION_PERCENT: "the hip migration percentage of the worse hip",
    _F.SIGNIFICANT_SCOLIOSIS: "whether the child has a significant scoliosis",
    _F.LEG_STRENGTH_MRC_MEAN: "the mean strength of the leg muscles (MRC grade)",
    _F.MRI_FINDINGS: "what the brain MRI showed",
    _F.GOALS: "what the family hopes treatment will help with",
    _F.TRIAL_REGISTRATION: "the registration id of the trial",
    _F.LEG_SPASTICITY_MAS: "the highest Modified Ashworth grade of the leg muscles "
    "(from a Modified Ashworth assessment)",
    _F.LEG_SELECTIVE_MOTOR_CONTROL: "the clinician's judgement of selective motor control "
    "in the legs (recorded with the selective motor control assessment)",
    _F.PREVIOUS_MULTILEVEL_SURGERY: "whether the child has had multilevel orthopaedic "
    "surgery (recorded in the medical history)",
})


#: Plain English words for the coded values a reason's parameters carry, by parameter name
#: (``{"scpe_subtype": "spastic-bilateral"}`` is written "bilateral spastic"). The stored
#: parameters stay codes; only the sentence uses the words. The web layer keeps a translated
#: twin; a test checks that every code of every coded parameter has words here.
VALUE_LABELS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "scpe_subtype": MappingProxyType({
        "spastic-bilateral": "bilateral spastic", "spastic-unilateral": "unilateral spastic",
        "dyskinetic-dystonic": "dyskinetic (dystonic)",
        "dyskinetic-choreoathetotic": "dyskinetic (choreo-athetotic)", "ataxic": "ataxic",
        "non-classifiable": "non-classifiable"}),
    "dystonia": MappingProxyType({
        "none": "none", "mild": "mild", "predominant": "predominant"}),
    "epilepsy": MappingProxyType({
        "none": "none", "controlled": "controlled", "uncontrolled": "not controlled"}),
    "hydrocephalus": MappingProxyType({
        "none": "none", "shunted": "shunted", "untreated": "not treated"}),
    "intellectual_disability": MappingProxyType({
        "none": "none", "mild": "mild", "moderate": "moderate", "severe": "severe"}),
    "mri_findings": _MRI_WORDS,
    "lesions": MappingProxyType({
        "basal-ganglia": "basal ganglia or thalamus", "cerebellar": "cerebellum"}),
    "goals": MappingProxyType({
        "walking": "walking", "sitting": "sitting", "hand-use": "hand use",
        "comfort-care": "comfort and care", "cognition": "thinking and learning",
        "speech": "speech", "other": "other"}),
    "leg_selective_motor_control": MappingProxyType({
        "good": "good", "limited": "limited", "poor": "poor"}),
    "registry": MappingProxyType({
        "clinicaltrials-gov": "ClinicalTrials.gov", "chictr": "ChiCTR", "isrctn": "ISRCTN",
        "eudract": "EudraCT", "eu-ctis": "EU CTIS"}),
})


def fact_label(fact: Fact) -> str:
    """Return the plain English words for ``fact`` (see :data:`FACT_LABELS`)."""
    return FACT_LABELS[fact]


def render(template: str, parameters: Mapping[str, Param]) -> str:
    """Fill ``template``'s ``{name}`` fields from ``parameters``.

    Numbers are written without trailing zeros (``2.0`` -> ``2``, ``2.5`` -> ``2.5``) and
    tuples are joined with ``", "``.
    """
    return template.format_map({name: _display(value) for name, value in parameters.items()})


def _display(value: Param) -> str:
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def reason_text(reason: Reason, parameters: Mapping[str, Param]) -> str:
    """Return the English sentence for ``reason`` with ``parameters`` filled in.

    The ``facts`` parameter (stored as fact codes, e.g. of :data:`Reason.MISSING_FACTS`) is
    written in words from :data:`FACT_LABELS`, joined with "; ", and coded values in words
    from :data:`VALUE_LABELS`: never as codes.
    """
    shown: dict[str, Param] = {}
    for name, value in parameters.items():
        if name == "facts" and isinstance(value, tuple):
            shown[name] = "; ".join(FACT_LABELS[Fact(code)] for code in value)
        elif name in VALUE_LABELS and isinstance(value, str | tuple):
            words = VALUE_LABELS[name]
            shown[name] = (tuple(words[code] for code in value) if isinstance(value, tuple)
                           else words[value])
        else:
            shown[name] = value
    return render(REASON_TEMPLATES[reason], shown)
