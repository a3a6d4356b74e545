"""The candidacy page in the clinician's language: a translated twin of core's English wording.

Core names every rule result with a stable :class:`~stride.core.eligibility.reasons.Reason`
code and words it in English (``REASON_TEMPLATES``, used by the command line); every rule
has an English ``checks`` sentence. Here each code, rule, fact, verdict and outcome has its
text marked for translation, with the same ``{placeholders}``. Tests check that every code
and rule of core has an entry here and that the placeholders match, so a new rule in core
cannot reach a clinician untranslated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stride.core.booking import MAX_SERIES_WEEKS, MAX_SLOT_MINUTES, MIN_SLOT_MINUTES
from stride.core.eligibility.facts import NEVER, Fact
from stride.core.eligibility.family import FACT_QUESTIONS, FAMILY_REASONS, FamilyMessage
from stride.core.eligibility.model import (
    PROGRAMME_POLICY,
    Decision,
    Outcome,
    Rule,
    RuleResult,
    RuleSet,
    Verdict,
)
from stride.core.eligibility.reasons import Param, Reason
from stride.core.errors import InvalidValue
from stride.web.intake.wording import WordedSection, display_parameter, family_text
from stride.web.platform.messages import user_message

OUTCOME_LABELS: Final[Mapping[Outcome, Promise]] = MappingProxyType({
    Outcome.CANDIDATE: _("Candidate"),
    Outcome.REVIEW: _("Candidate, with points for the team to review"),
    Outcome.NEEDS_INFORMATION: _("More information needed"),
    Outcome.NOT_CANDIDATE: _("Not a candidate"),
})

VERDICT_LABELS: Final[Mapping[Verdict, Promise]] = MappingProxyType({
    Verdict.PASS: _("Pass"),
    Verdict.EXCLUDE: _("Exclusion"),
    Verdict.CAUTION: _("Caution"),
    Verdict.MISSING: _("Missing"),
})

FACT_LABELS: Final[Mapping[Fact, Promise]] = MappingProxyType({
    Fact.AGE_YEARS: _("Age (years)"),
    Fact.SCPE_SUBTYPE: _("SCPE subtype"),
    Fact.GMFCS: _("GMFCS level"),
    Fact.DYSTONIA: _("Dystonia"),
    Fact.EPILEPSY: _("Epilepsy"),
    Fact.SEIZURE_FREE_MONTHS: _("Months seizure-free"),
    Fact.HYDROCEPHALUS: _("Hydrocephalus"),
    Fact.INTELLECTUAL_DISABILITY: _("Intellectual disability"),
    Fact.AUTISM_WITHOUT_MOTOR_DISORDER: _("Autism without a motor disorder"),
    Fact.PROGRESSIVE_OR_GENETIC_DISORDER: _("Progressive or genetic disorder"),
    Fact.BRAIN_MALFORMATION: _("Brain malformation"),
    Fact.PRIOR_CELL_THERAPY: _("Cell therapy before"),
    Fact.MONTHS_SINCE_BOTULINUM_TOXIN: _("Months since botulinum toxin"),
    Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: _("Months since orthopaedic surgery"),
    Fact.HIP_MIGRATION_PERCENT: _("Hip migration (%)"),
    Fact.SIGNIFICANT_SCOLIOSIS: _("Significant scoliosis"),
    Fact.LEG_STRENGTH_MRC_MEAN: _("Mean leg strength (MRC)"),
    Fact.MRI_FINDINGS: _("MRI findings"),
    Fact.GOALS: _("Goals"),
    Fact.TRIAL_REGISTRATION: _("Trial registration"),
    Fact.LEG_SPASTICITY_MAS: _("Highest Modified Ashworth grade in the legs"),
    Fact.LEG_SELECTIVE_MOTOR_CONTROL: _("Selective motor control in the legs"),
    Fact.PREVIOUS_MULTILEVEL_SURGERY: _("Multilevel orthopaedic surgery before"),
})

#: Every reason code's sentence (placeholders as in core's REASON_TEMPLATES).
REASON_WORDING: Final[Mapping[Reason, Promise]] = MappingProxyType({
    Reason.MISSING_FACTS: _("Not known yet: {facts}. The rule cannot be checked without it."),
    Reason.DYSKINETIC_SUBTYPE: _(
        "The predominant motor type is {scpe_subtype}; SDR reduces spasticity, not "
        "dyskinesia."),
    Reason.ATAXIC_SUBTYPE: _(
        "The predominant motor type is ataxic; SDR reduces spasticity, not ataxia."),
    Reason.SUBTYPE_NOT_DYSKINETIC_OR_ATAXIC: _(
        "The predominant motor type is {scpe_subtype}: neither dyskinetic nor ataxic."),
    Reason.SUBTYPE_NON_CLASSIFIABLE: _(
        "The motor type is non-classifiable; the team should confirm that spasticity is the "
        "main problem."),
    Reason.SUBTYPE_CLASSIFIED: _("The predominant motor type is classified ({scpe_subtype})."),
    Reason.DYSTONIA_PREDOMINANT: _(
        "Dystonia is predominant; SDR reduces spasticity, not dystonia."),
    Reason.DYSTONIA_NOT_PREDOMINANT: _("Dystonia is not predominant ({dystonia})."),
    Reason.DYSTONIA_PRESENT: _(
        "Dystonia is present ({dystonia}); the team should judge how much of the movement "
        "problem it explains."),
    Reason.NO_DYSTONIA: _("No dystonia."),
    Reason.AGE_BELOW_MINIMUM: _(
        "Age is below the minimum of {minimum_years} years (age in years: {age_years})."),
    Reason.AGE_AT_LEAST_MINIMUM: _(
        "Age is at least {minimum_years} years (age in years: {age_years})."),
    Reason.AGE_BELOW_TYPICAL_RANGE: _(
        "Age is below the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years}); centres differ on younger children."),
    Reason.AGE_ABOVE_TYPICAL_RANGE: _(
        "Age is above the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years}); centres differ on older children."),
    Reason.AGE_IN_TYPICAL_RANGE: _(
        "Age is within the usual range of {lowest_years} to {highest_years} years (age in "
        "years: {age_years})."),
    Reason.GMFCS_OUTSIDE_TYPICAL_LEVELS: _(
        "GMFCS level {gmfcs_level} is outside levels {typical_levels}, where SDR is usually "
        "offered; centres differ."),
    Reason.GMFCS_TYPICAL_LEVEL: _("GMFCS level {gmfcs_level} is within levels {typical_levels}."),
    Reason.HIP_MIGRATION_ABOVE_LIMIT: _(
        "Hip migration {hip_migration_percent}% is above {limit_percent}%; the hips may need "
        "treatment first."),
    Reason.HIP_MIGRATION_WITHIN_LIMIT: _(
        "Hip migration {hip_migration_percent}% is not above {limit_percent}%."),
    Reason.SIGNIFICANT_SCOLIOSIS: _("Significant scoliosis; the spine needs assessment first."),
    Reason.NO_SIGNIFICANT_SCOLIOSIS: _("No significant scoliosis."),
    Reason.LEG_STRENGTH_BELOW_MINIMUM: _(
        "Mean leg strength MRC {leg_strength_mrc_mean} is below MRC {minimum_mrc}."),
    Reason.LEG_STRENGTH_AT_LEAST_MINIMUM: _(
        "Mean leg strength MRC {leg_strength_mrc_mean} is at least MRC {minimum_mrc}."),
    Reason.MRI_DEEP_GREY_OR_CEREBELLAR_LESION: _(
        "MRI shows a lesion some centres exclude: {lesions}."),
    Reason.MRI_NO_DEEP_GREY_OR_CEREBELLAR_LESION: _(
        "MRI shows no basal-ganglia or cerebellar lesion ({mri_findings})."),
    Reason.ORTHOPAEDIC_SURGERY_RECENT: _(
        "Orthopaedic surgery less than {interval_months} months ago (months since: "
        "{months_since_orthopaedic_surgery})."),
    Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT: _(
        "Orthopaedic surgery at least {interval_months} months ago (months since: "
        "{months_since_orthopaedic_surgery})."),
    Reason.NO_ORTHOPAEDIC_SURGERY: _("No orthopaedic surgery."),
    Reason.BOTULINUM_TOXIN_RECENT: _(
        "Botulinum toxin less than {interval_months} months ago (months since: "
        "{months_since_botulinum_toxin})."),
    Reason.BOTULINUM_TOXIN_NOT_RECENT: _(
        "Botulinum toxin at least {interval_months} months ago (months since: "
        "{months_since_botulinum_toxin})."),
    Reason.NO_BOTULINUM_TOXIN: _("No botulinum toxin."),
    Reason.INVESTIGATIONAL_TRIAL_ONLY: _(
        "No trial registration: cell therapy for CP is unproven and is offered only inside a "
        "registered trial."),
    Reason.TRIAL_REGISTRATION_MALFORMED: _(
        "'{trial_registration}' is not a trial registration id (accepted forms: "
        "{accepted_forms}); cell therapy for CP is offered only inside a registered trial."),
    Reason.REGISTERED_TRIAL: _("Inside registered trial {trial_id} ({registry})."),
    Reason.EPILEPSY_UNCONTROLLED: _("Epilepsy is not controlled."),
    Reason.SEIZURE_FREE_TOO_SHORT: _(
        "Epilepsy is controlled, but seizure-free for less than {minimum_months} months "
        "(months seizure-free: {seizure_free_months})."),
    Reason.SEIZURE_FREE_LONG_ENOUGH: _(
        "Epilepsy is controlled and seizure-free for at least {minimum_months} months (months"
        " seizure-free: {seizure_free_months})."),
    Reason.EPILEPSY_PRESENT: _("Epilepsy ({epilepsy}); the team reviews the seizure history."),
    Reason.NO_EPILEPSY: _("No epilepsy."),
    Reason.HYDROCEPHALUS_PRESENT: _("Hydrocephalus ({hydrocephalus})."),
    Reason.NO_HYDROCEPHALUS: _("No hydrocephalus."),
    Reason.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY: _(
        "Severe intellectual disability with cognition among the goals."),
    Reason.INTELLECTUAL_DISABILITY_NOT_SEVERE: _(
        "Intellectual disability is not severe ({intellectual_disability})."),
    Reason.COGNITION_NOT_A_GOAL: _("Cognition is not among the goals ({goals})."),
    Reason.AUTISM_WITHOUT_MOTOR_DISORDER: _("Autism without a motor disorder."),
    Reason.NO_AUTISM_WITHOUT_MOTOR_DISORDER: _("No autism without a motor disorder."),
    Reason.PROGRESSIVE_OR_GENETIC_DISORDER: _("A progressive or genetic disorder."),
    Reason.NO_PROGRESSIVE_OR_GENETIC_DISORDER: _("No progressive or genetic disorder."),
    Reason.BRAIN_MALFORMATION: _("A brain malformation."),
    Reason.NO_BRAIN_MALFORMATION: _("No brain malformation."),
    Reason.PRIOR_CELL_THERAPY: _("Cell therapy was given before."),
    Reason.NO_PRIOR_CELL_THERAPY: _("No cell therapy before."),
    Reason.NO_LEG_SPASTICITY: _(
        "No leg muscle graded shows increased tone (highest Modified Ashworth grade: "
        "{leg_spasticity_mas}); SDR treats spasticity."),
    Reason.LEG_SPASTICITY_PRESENT: _(
        "Increased tone in the legs (highest Modified Ashworth grade: {leg_spasticity_mas})."),
    Reason.LEG_SPASTICITY_BELOW_TARGET: _(
        "The highest Modified Ashworth grade in the legs is {leg_spasticity_mas}, below "
        "{target_grade}; the team should confirm that spasticity limits function."),
    Reason.LEG_SPASTICITY_AT_TARGET: _(
        "The highest Modified Ashworth grade in the legs is {leg_spasticity_mas}, at least "
        "{target_grade}."),
    Reason.SELECTIVE_MOTOR_CONTROL_NOT_GOOD: _(
        "Selective motor control in the legs is judged {leg_selective_motor_control}, not "
        "good."),
    Reason.SELECTIVE_MOTOR_CONTROL_GOOD: _("Selective motor control in the legs is judged good."),
    Reason.WALKER_LEG_STRENGTH_BELOW_MINIMUM: _(
        "The child walks (GMFCS level {gmfcs_level}) and mean leg strength MRC "
        "{leg_strength_mrc_mean} is below MRC {minimum_mrc}."),
    Reason.NOT_A_WALKER: _(
        "GMFCS level {gmfcs_level}: the leg-strength limit for children who walk does not "
        "apply."),
    Reason.HIP_MIGRATION_AT_OR_ABOVE_LIMIT: _(
        "Hip migration {hip_migration_percent}% is not below {limit_percent}%; the hips may "
        "need treatment first."),
    Reason.HIP_MIGRATION_BELOW_LIMIT: _(
        "Hip migration {hip_migration_percent}% is below {limit_percent}%."),
    Reason.MRI_NO_PVL: _(
        "MRI shows no periventricular leukomalacia (PVL), the finding some centres look "
        "for ({mri_findings})."),
    Reason.MRI_PVL: _("MRI shows periventricular leukomalacia (PVL)."),
    Reason.PREVIOUS_MULTILEVEL_SURGERY: _("Multilevel orthopaedic surgery was done before."),
    Reason.NO_PREVIOUS_MULTILEVEL_SURGERY: _("No multilevel orthopaedic surgery before."),
})

#: What each released rule checks, by (rule-set id, rule id): one sentence per rule.
RULE_WORDING: Final[Mapping[tuple[str, str], Promise]] = MappingProxyType({
    ('cell-therapy-investigational-v1', 'registered-trial'): _(
        "A well-formed registration id of the trial the course would belong to."),
    ('cell-therapy-investigational-v1', 'epilepsy-control'): _(
        "Epilepsy, if any, is controlled with at least 6 seizure-free months."),
    ('cell-therapy-investigational-v1', 'epilepsy-history'): _(
        "There is no epilepsy (controlled epilepsy is for the team to weigh)."),
    ('cell-therapy-investigational-v1', 'hydrocephalus'): _(
        "There is no hydrocephalus, shunted or untreated."),
    ('cell-therapy-investigational-v1', 'cognition-goal-with-severe-intellectual-disability'): _(
        "Not both severe intellectual disability and cognition among the goals."),
    ('cell-therapy-investigational-v1', 'autism-without-motor-disorder'): _(
        "Not autism without a motor disorder."),
    ('cell-therapy-investigational-v1', 'progressive-or-genetic-disorder'): _(
        "No progressive or genetic disorder."),
    ('cell-therapy-investigational-v1', 'brain-malformation'): _(
        "No brain malformation (reported, or seen on MRI)."),
    ('cell-therapy-investigational-v1', 'prior-cell-therapy'): _("No cell therapy before."),
    ('cell-therapy-investigational-v1', 'recent-botulinum-toxin'): _(
        "No botulinum toxin in the last 3 months."),
    ('cell-therapy-investigational-v1', 'recent-orthopaedic-surgery'): _(
        "No orthopaedic surgery in the last 3 months."),
    ('sdr-v1', 'motor-subtype'): _("The predominant motor type is neither dyskinetic nor ataxic."),
    ('sdr-v1', 'motor-subtype-classified'): _(
        "The predominant motor type is classified (not non-classifiable)."),
    ('sdr-v1', 'dystonia-predominant'): _("Dystonia is not predominant."),
    ('sdr-v1', 'dystonia-present'): _(
        "There is no dystonia (mild dystonia is for the team to weigh)."),
    ('sdr-v1', 'age-minimum'): _("Age is at least 2 years."),
    ('sdr-v1', 'age-typical-range'): _("Age is from 3 to 10 years."),
    ('sdr-v1', 'gmfcs-level'): _("GMFCS level is II or III."),
    ('sdr-v1', 'hip-migration'): _("Hip migration is at most 40% (hips first)."),
    ('sdr-v1', 'scoliosis'): _("There is no significant scoliosis."),
    ('sdr-v1', 'leg-strength'): _("Mean leg strength is at least MRC 3."),
    ('sdr-v1', 'mri-deep-grey-or-cerebellar'): _(
        "MRI shows no basal-ganglia or cerebellar lesion."),
    ('sdr-v1', 'recent-orthopaedic-surgery'): _("No orthopaedic surgery in the last 12 months."),
    ('sdr-v2', 'motor-subtype'): _("The predominant motor type is neither dyskinetic nor ataxic."),
    ('sdr-v2', 'motor-subtype-classified'): _(
        "The predominant motor type is classified (not non-classifiable)."),
    ('sdr-v2', 'dystonia-predominant'): _("Tone is not predominantly dystonia."),
    ('sdr-v2', 'dystonia-present'): _("Tone is pure spasticity, without dystonia."),
    ('sdr-v2', 'leg-spasticity'): _(
        "At least one leg muscle shows increased tone (Modified Ashworth above 0)."),
    ('sdr-v2', 'leg-spasticity-limits-function'): _(
        "At least one leg muscle is graded Modified Ashworth 2 or more."),
    ('sdr-v2', 'selective-motor-control'): _(
        "Selective motor control in the legs is judged good."),
    ('sdr-v2', 'age-minimum'): _("Age is at least 2 years."),
    ('sdr-v2', 'age-typical-range'): _("Age is from 3 to 10 years."),
    ('sdr-v2', 'gmfcs-level'): _("GMFCS level is II or III."),
    ('sdr-v2', 'leg-strength-walker'): _(
        "A child who walks (GMFCS I–III) has mean leg strength of at least MRC 3."),
    ('sdr-v2', 'leg-strength'): _("Mean leg strength is at least MRC 3."),
    ('sdr-v2', 'hip-migration'): _("Hip migration is below 33% (hips first)."),
    ('sdr-v2', 'scoliosis'): _("There is no significant scoliosis."),
    ('sdr-v2', 'mri-deep-grey-or-cerebellar'): _(
        "MRI shows no basal-ganglia or cerebellar lesion."),
    ('sdr-v2', 'mri-pvl'): _("MRI shows periventricular leukomalacia (PVL)."),
    ('sdr-v2', 'previous-multilevel-surgery'): _("No multilevel orthopaedic surgery before."),
    ('sdr-v2', 'recent-orthopaedic-surgery'): _("No orthopaedic surgery in the last 12 months."),
})

#: The programme's own choice in a rule (core's :attr:`Rule.policy`), shown beside the
#: citation under "Programme policy"; a rule without an entry applies its sources as they are.
RULE_POLICY_WORDING: Final[Mapping[tuple[str, str], Promise]] = MappingProxyType({
    ('sdr-v2', 'motor-subtype-classified'): _(
        "A motor type not yet classified is a caution, not an exclusion: the team confirms "
        "that spasticity is the main problem."),
    ('sdr-v2', 'dystonia-present'): _(
        "NICE lists pure spasticity among criteria for research; some dystonia alongside "
        "spasticity is a caution for the team, not an exclusion."),
    ('sdr-v2', 'leg-spasticity-limits-function'): _(
        "No centre on the reference list publishes a Modified Ashworth grade for choosing "
        "children; grade 2 is borrowed from Xiao's group, who operate on the muscles graded 2 "
        "or more, so a lower grade is a caution, not an exclusion."),
    ('sdr-v2', 'selective-motor-control'): _(
        "NICE gives no scale or cut-off: the clinician's judgement recorded with the "
        "selective motor control assessment is used, and anything less than good is a "
        "caution, not an exclusion."),
    ('sdr-v2', 'age-typical-range'): _(
        "Centres differ: the usual range runs from NICE's youngest age (3) to CRC Ireland's "
        "oldest (10), and an age outside it is a caution."),
    ('sdr-v2', 'gmfcs-level'): _(
        "St Louis asks only for some independent mobility, so another level is a caution, "
        "not an exclusion."),
    ('sdr-v2', 'leg-strength-walker'): _(
        "Alder Hey's 'walkers' are read as GMFCS levels I–III (children who walk, with or "
        "without a hand-held mobility device)."),
    ('sdr-v2', 'leg-strength'): _(
        "NICE gives no number for good leg strength; Alder Hey's MRC 3 is used for every "
        "child, as a caution."),
    ('sdr-v2', 'hip-migration'): _(
        # xgettext:no-python-format
        "Centres differ: CRC Ireland's limit of 33% is used, as a caution, since NICE and "
        "Alder Hey exclude only a dislocated or progressively subluxing hip."),
    ('sdr-v2', 'scoliosis'): _(
        "The recorded fact is Alder Hey's 'significant' scoliosis; NICE's word is 'severe'. "
        "Both centres exclude it."),
    ('sdr-v2', 'mri-deep-grey-or-cerebellar'): _(
        "Centres differ: CRC Ireland excludes any such lesion, St Louis only severe "
        "basal-ganglia damage, so a lesion is a caution for the team."),
    ('sdr-v2', 'mri-pvl'): _(
        "Only CRC Ireland asks for PVL on MRI, so its absence is a caution, not an "
        "exclusion."),
    ('sdr-v2', 'previous-multilevel-surgery'): _(
        "Only CRC Ireland names previous multilevel surgery, so it is a caution, not an "
        "exclusion."),
    ('sdr-v2', 'recent-orthopaedic-surgery'): _(
        "The 12-month interval is the Stride programmes' own choice, kept from sdr-v1: no "
        "source on the reference list sets an interval after orthopaedic surgery."),
})

#: What each released rule set decides (core's English :attr:`RuleSet.title`), by id.
RULE_SET_TITLES: Final[Mapping[str, Promise]] = MappingProxyType({
    "sdr-v1": _("Selective dorsal rhizotomy (SDR) candidacy"),
    "sdr-v2": _("Selective dorsal rhizotomy (SDR) candidacy, with spasticity and selective "
                "motor control"),
    "cell-therapy-investigational-v1": _(
        "Investigational cell therapy for CP: a place in a registered trial"),
})

#: Every fact in words, for "Not known yet: {facts}" (twin of core's FACT_LABELS).
FACT_WORDS: Final[Mapping[Fact, Promise]] = MappingProxyType({
    Fact.AGE_YEARS: _("the child's age"),
    Fact.SCPE_SUBTYPE: _("the main type of cerebral palsy (spastic, dyskinetic or ataxic)"),
    Fact.GMFCS: _("the GMFCS level"),
    Fact.DYSTONIA: _("whether the child has dystonia, and how much"),
    Fact.EPILEPSY: _("whether the child has epilepsy, and whether it is controlled"),
    Fact.SEIZURE_FREE_MONTHS: _("how many months the child has been free of seizures"),
    Fact.HYDROCEPHALUS: _("whether the child has hydrocephalus, and whether it is shunted"),
    Fact.INTELLECTUAL_DISABILITY: _(
        "whether the child has an intellectual disability, and how severe it is"),
    Fact.AUTISM_WITHOUT_MOTOR_DISORDER: _(
        "whether the child has autism without a motor disorder"),
    Fact.PROGRESSIVE_OR_GENETIC_DISORDER: _(
        "whether the child has a progressive or genetic disorder"),
    Fact.BRAIN_MALFORMATION: _("whether the child has a brain malformation"),
    Fact.PRIOR_CELL_THERAPY: _("whether the child has had cell therapy before"),
    Fact.MONTHS_SINCE_BOTULINUM_TOXIN: _("when the child last had botulinum toxin, if ever"),
    Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: _(
        "when the child last had orthopaedic surgery, if ever"),
    Fact.HIP_MIGRATION_PERCENT: _("the hip migration percentage of the worse hip"),
    Fact.SIGNIFICANT_SCOLIOSIS: _("whether the child has a significant scoliosis"),
    Fact.LEG_STRENGTH_MRC_MEAN: _("the mean strength of the leg muscles (MRC grade)"),
    Fact.MRI_FINDINGS: _("what the brain MRI showed"),
    Fact.GOALS: _("what the family hopes treatment will help with"),
    Fact.TRIAL_REGISTRATION: _("the registration id of the trial"),
    Fact.LEG_SPASTICITY_MAS: _(
        "the highest Modified Ashworth grade of the leg muscles (from a Modified Ashworth "
        "assessment)"),
    Fact.LEG_SELECTIVE_MOTOR_CONTROL: _(
        "the clinician's judgement of selective motor control in the legs (recorded with the "
        "selective motor control assessment)"),
    Fact.PREVIOUS_MULTILEVEL_SURGERY: _(
        "whether the child has had multilevel orthopaedic surgery (recorded in the medical "
        "history)"),
})

_MRI_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    "normal": _("normal"),
    "pvl": _("periventricular leukomalacia"),
    "basal-ganglia": _("basal ganglia or thalamus lesion"),
    "cortical-subcortical": _("cortical or subcortical lesion"),
    "cerebellar": _("cerebellar lesion"),
    "malformation": _("brain malformation"),
    "other": _("other finding"),
})

#: Coded values in words, by parameter (or fact) name (twin of core's VALUE_LABELS).
VALUE_WORDS: Final[Mapping[str, Mapping[str, Promise]]] = MappingProxyType({
    "scpe_subtype": MappingProxyType({
        "spastic-bilateral": _("bilateral spastic"),
        "spastic-unilateral": _("unilateral spastic"),
        "dyskinetic-dystonic": _("dyskinetic (dystonic)"),
        "dyskinetic-choreoathetotic": _("dyskinetic (choreo-athetotic)"),
        "ataxic": _("ataxic"),
        "non-classifiable": _("non-classifiable"),
    }),
    "dystonia": MappingProxyType({
        "none": _("none"), "mild": _("mild"), "predominant": _("predominant")}),
    "epilepsy": MappingProxyType({
        "none": _("none"), "controlled": _("controlled"), "uncontrolled": _("not controlled")}),
    "hydrocephalus": MappingProxyType({
        "none": _("none"), "shunted": _("shunted"), "untreated": _("not treated")}),
    "intellectual_disability": MappingProxyType({
        "none": _("none"), "mild": _("mild"), "moderate": _("moderate"),
        "severe": _("severe")}),
    "mri_findings": _MRI_WORDS,
    "lesions": MappingProxyType({
        "basal-ganglia": _("basal ganglia or thalamus"), "cerebellar": _("cerebellum")}),
    "goals": MappingProxyType({
        "walking": _("walking"), "sitting": _("sitting"), "hand-use": _("hand use"),
        "comfort-care": _("comfort and care"), "cognition": _("thinking and learning"),
        "speech": _("speech"), "other": _("other")}),
    "leg_selective_motor_control": MappingProxyType({
        "good": _("good"), "limited": _("limited"), "poor": _("poor")}),
    "registry": MappingProxyType({
        "clinicaltrials-gov": _("ClinicalTrials.gov"), "chictr": _("ChiCTR"),
        "isrctn": _("ISRCTN"), "eudract": _("EudraCT"), "eu-ctis": _("EU CTIS")}),
})

#: Decimals a measured number is written with (as it is measured or usefully read: a mean
#: MRC grade of 3.43, not 3.4285714285714284); any other number gets :data:`_DECIMALS`.
_MEASURE_DECIMALS: Final[Mapping[str, int]] = MappingProxyType({
    "age_years": 1, "hip_migration_percent": 1, "leg_strength_mrc_mean": 1,
    "months_since_orthopaedic_surgery": 1, "months_since_botulinum_toxin": 1,
    "seizure_free_months": 1,
})
_DECIMALS: Final = 2
_ROMAN: Final = ("I", "II", "III", "IV", "V")


def number_text(name: str, value: float, compared_with: Iterable[float] = ()) -> str:
    """Return ``value`` written for a reader, in the active language.

    Rounded to the decimals of its measure (trailing zeros dropped), but never so far that
    it would meet or cross a threshold it is compared with (32.96 against a 33% limit stays
    32.96, not "33% is below 33%").
    """
    decimals = _MEASURE_DECIMALS.get(name, _DECIMALS)
    if value != int(value):
        others = [other for other in compared_with if other != value]
        while decimals < 6 and any(
                (round(value, decimals) > other) != (value > other)
                or (round(value, decimals) == other) for other in others):
            decimals += 1
    shown = round(value, decimals)
    places = next(k for k in range(decimals + 1) if round(shown, k) == shown)
    return number_format(shown, decimal_pos=places)


def _numbers(parameters: Mapping[str, Param]) -> list[float]:
    return [float(value) for value in parameters.values()
            if isinstance(value, int | float) and not isinstance(value, bool)]


def reason_text(result: RuleResult) -> str:
    """Return why ``result`` came out as it did, in the active language.

    Missing facts and coded values are written in words (never their codes), numbers as
    their measure is read (see :func:`number_text`).
    """
    numbers = _numbers(result.parameters)
    shown: dict[str, str] = {}
    for name, value in result.parameters.items():
        if name == "facts" and isinstance(value, tuple):
            shown[name] = "; ".join(str(FACT_WORDS[Fact(code)]) for code in value)
        elif name in VALUE_WORDS and isinstance(value, str | tuple):
            codes = value if isinstance(value, tuple) else (value,)
            words = VALUE_WORDS[name]
            shown[name] = ", ".join(str(words.get(code, code)) for code in codes)
        elif isinstance(value, float):
            shown[name] = number_text(name, value, numbers)
        else:
            shown[name] = display_parameter(value)
    return str(REASON_WORDING[result.reason]).format_map(shown)


def fact_value_text(fact: Fact, value: Any) -> str:
    """Return a known fact's value in words for the facts table (never a code or a repr)."""
    if value is None:
        return str(_("Not known"))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if fact is Fact.GMFCS and isinstance(value, int):
        return _ROMAN[value - 1]
    if value == NEVER:
        return str(_("Never"))
    if fact.value in VALUE_WORDS:
        codes = value if isinstance(value, tuple) else (value,)
        words = VALUE_WORDS[fact.value]
        return ", ".join(str(words.get(str(code), str(code))) for code in codes)
    if isinstance(value, float):
        return number_text(fact.value, value)
    if isinstance(value, int):
        return number_format(value)
    # A Modified Ashworth grade ("1+") or a trial id: shown as written.
    return str(value.value if isinstance(value, StrEnum) else value)


def rule_text(rule_set: RuleSet, rule_id: str) -> str:
    """Return what the rule checks, in the active language."""
    return str(RULE_WORDING[(rule_set.id, rule_id)])


def rule_policy_text(rule_set: RuleSet, rule_id: str) -> str | None:
    """Return the programme's own choice in the rule, in the active language, or ``None``."""
    text = RULE_POLICY_WORDING.get((rule_set.id, rule_id))
    return None if text is None else str(text)


def citation_text(rule: Rule) -> str:
    """Return the rule's citation; "Programme policy" standing alone is translated."""
    return str(_("Programme policy")) if rule.citation == PROGRAMME_POLICY else rule.citation


def rule_set_title(rule_set: RuleSet) -> str:
    """Return what the rule set decides, in the active language."""
    title = RULE_SET_TITLES.get(rule_set.id)
    return rule_set.title if title is None else str(title)


#: Core's consultation-slot rules (stride.core.booking) as sentences: what was wrong and
#: what to do.
BOOKING_RULES: Mapping[str, str | Promise] = MappingProxyType({
    "slot-duration": format_lazy(_("A slot lasts from {low} to {high} minutes; enter a length "
                                   "in that range."), low=MIN_SLOT_MINUTES,
                                 high=MAX_SLOT_MINUTES),
    "series-weeks": format_lazy(_("Repeat a slot for 1 to {weeks} weeks; publish again later "
                                  "for more."), weeks=MAX_SERIES_WEEKS),
    "slot-in-the-past": _("This time has already passed; choose a time in the future."),
    "nonexistent-local-time": _(
        "This time does not exist on the clinic's clock that day (the clocks move forward "
        "for summer time); choose another time."),
})


def booking_message(error: InvalidValue) -> str:
    """Return the sentence for a refused slot or booking value (core's rule or field)."""
    text = BOOKING_RULES.get(error.rule)
    return str(text) if text is not None else user_message(error)


#: The GMFM-88 items' short labels, item 1 first (a translated twin of core's English
#: :data:`stride.core.scales.gmfm88.ITEM_LABELS`, Stride's own words, never the score
#: sheet's item texts; a test keeps the English identical to core's).
GMFM88_ITEM_LABELS: Final[tuple[Promise, ...]] = (
    _("On back: head centred, turns head"),  # 1
    _("On back: hands meet at midline"),  # 2
    _("On back: lifts head forward"),  # 3
    _("On back: bends right leg fully"),  # 4
    _("On back: bends left leg fully"),  # 5
    _("On back: right arm reaches across"),  # 6
    _("On back: left arm reaches across"),  # 7
    _("Rolls from back to front, right"),  # 8
    _("Rolls from back to front, left"),  # 9
    _("On front: raises head"),  # 10
    _("On front: arms straight, chest lifted"),  # 11
    _("On front: leans on right, reaches"),  # 12
    _("On front: leans on left, reaches"),  # 13
    _("Rolls from front to back, right"),  # 14
    _("Rolls from front to back, left"),  # 15
    _("On front: turns a quarter right"),  # 16
    _("On front: turns a quarter left"),  # 17
    _("Hands held: comes up to sit"),  # 18
    _("From back: sits up over right"),  # 19
    _("From back: sits up over left"),  # 20
    _("Held at chest: raises head"),  # 21
    _("Held at chest: keeps head centred"),  # 22
    _("Sits on floor leaning on hands"),  # 23
    _("Sits on floor, hands free"),  # 24
    _("Sitting: leans to a toy, returns"),  # 25
    _("Sitting: reaches back on right"),  # 26
    _("Sitting: reaches back on left"),  # 27
    _("Side-sits on right, hands free"),  # 28
    _("Side-sits on left, hands free"),  # 29
    _("Sitting: lowers onto front, controlled"),  # 30
    _("Sitting: to hands and knees, right"),  # 31
    _("Sitting: to hands and knees, left"),  # 32
    _("Sitting: turns a quarter, hands free"),  # 33
    _("Bench sitting, hands and feet free"),  # 34
    _("From standing: sits on low bench"),  # 35
    _("From floor: onto low bench"),  # 36
    _("From floor: onto high bench"),  # 37
    _("Moves forward on tummy"),  # 38
    _("Holds hands-and-knees position"),  # 39
    _("Hands and knees: to sitting"),  # 40
    _("From front: up onto hands, knees"),  # 41
    _("Hands and knees: right arm reaches"),  # 42
    _("Hands and knees: left arm reaches"),  # 43
    _("Crawls or shuffles forward"),  # 44
    _("Crawls forward, alternating arms and legs"),  # 45
    _("Crawls up stairs"),  # 46
    _("Crawls down stairs backwards"),  # 47
    _("From sitting: to upright kneeling"),  # 48
    _("Kneeling: half-kneels on right knee"),  # 49
    _("Kneeling: half-kneels on left knee"),  # 50
    _("Walks forward on knees"),  # 51
    _("From floor: pulls up at bench"),  # 52
    _("Stands without support, briefly"),  # 53
    _("Holding on: lifts right foot"),  # 54
    _("Holding on: lifts left foot"),  # 55
    _("Stands without support, longer"),  # 56
    _("No support: lifts left foot"),  # 57
    _("No support: lifts right foot"),  # 58
    _("From low bench: stands, no hands"),  # 59
    _("Kneeling to standing via right knee"),  # 60
    _("Kneeling to standing via left knee"),  # 61
    _("From standing: down to floor, controlled"),  # 62
    _("From standing: squats, hands free"),  # 63
    _("Picks a toy up from floor"),  # 64
    _("Side-steps along bench to right"),  # 65
    _("Side-steps along bench to left"),  # 66
    _("Walks with both hands held"),  # 67
    _("Walks with one hand held"),  # 68
    _("Walks forward alone"),  # 69
    _("Walks, turns round, walks back"),  # 70
    _("Walks backwards"),  # 71
    _("Walks carrying a big object"),  # 72
    _("Walks between two lines"),  # 73
    _("Walks along a narrow line"),  # 74
    _("Steps over a stick, right first"),  # 75
    _("Steps over a stick, left first"),  # 76
    _("Runs, stops, comes back"),  # 77
    _("Kicks a ball, right foot"),  # 78
    _("Kicks a ball, left foot"),  # 79
    _("Jumps up, feet together"),  # 80
    _("Jumps forward, feet together"),  # 81
    _("Hops on right foot"),  # 82
    _("Hops on left foot"),  # 83
    _("Up stairs with rail, alternating feet"),  # 84
    _("Down stairs with rail, alternating feet"),  # 85
    _("Up stairs, no rail, alternating feet"),  # 86
    _("Down stairs, no rail, alternating feet"),  # 87
    _("Jumps down from a step"),  # 88
)


def gmfm88_item_label(number: int) -> str:
    """Return "<number>. <label>" for GMFM-88 item ``number`` (1–88), in the active language."""
    return str(_("%(number)d. %(label)s")) % {"number": number,
                                               "label": GMFM88_ITEM_LABELS[number - 1]}

# ---------------------------------------------------------------------------------------
# The family's decision letter (issue 17): the reasons that decided a signed decision, in
# the family's words. Never the self-check's wording ("Worth an evaluation"): a signed
# decision is not a self-check.

LETTER_HEADINGS: Final[Mapping[str, Promise]] = MappingProxyType({
    "excluded": _("The reasons for this decision:"),
    "missing": _("What we still need to know before we can decide:"),
    "review": _("Your child meets the main points we check for this treatment. These points "
                "need a closer look with you:"),
    "met": _("Your child meets every point we check for this treatment:"),
    "also": _("Other points our team noted:"),
    "weighed": _("What the assessments showed, which the doctor weighed in deciding:"),
    "all-met": _("The assessments met every point we check for this treatment."),
})


def decision_letter_reasons(engine: Decision, rule_set: RuleSet, *,
                            overridden: bool) -> tuple[WordedSection, ...]:
    """Return the reasons behind a signed decision for the family's letter, in the active
    language: each section a heading and its statements.

    The rules whose verdicts drove the engine's outcome decide what is said: the
    exclusions of "not a candidate", the facts still missing for "more information
    needed", the cautions of "candidate, with points to review", and every criterion met
    for "candidate" (what each rule checks). When the doctor overrode the engine, the
    doctor's written reason decides (the letter shows it); the engine's findings follow as
    what the doctor weighed.
    """
    exclusions = _family_statements(engine.with_verdict(Verdict.EXCLUDE))
    cautions = _family_statements(engine.with_verdict(Verdict.CAUTION))
    questions = tuple(family_text(FamilyMessage(FACT_QUESTIONS[fact]))
                      for fact in engine.missing)
    if overridden:
        found = (*exclusions, *questions, *cautions)
        if not found:
            return (WordedSection(str(LETTER_HEADINGS["all-met"]), ()),)
        return (WordedSection(str(LETTER_HEADINGS["weighed"]), found),)
    also = (WordedSection(str(LETTER_HEADINGS["also"]), cautions),) if cautions else ()
    if engine.outcome is Outcome.NOT_CANDIDATE:
        return (WordedSection(str(LETTER_HEADINGS["excluded"]), exclusions), *also)
    if engine.outcome is Outcome.NEEDS_INFORMATION:
        return (WordedSection(str(LETTER_HEADINGS["missing"]), questions), *also)
    if engine.outcome is Outcome.REVIEW:
        return (WordedSection(str(LETTER_HEADINGS["review"]), cautions),)
    met = tuple(_rule_words(rule_set, result.rule_id) for result in engine.results)
    return (WordedSection(str(LETTER_HEADINGS["met"]), met),)


def _family_statements(results: Iterable[RuleResult]) -> tuple[str, ...]:
    """Each result's family sentence, in the active language, once each."""
    statements: list[str] = []
    for result in results:
        text = family_text(FamilyMessage(FAMILY_REASONS[result.reason], result.parameters))
        if text not in statements:
            statements.append(text)
    return tuple(statements)


def _rule_words(rule_set: RuleSet, rule_id: str) -> str:
    text = RULE_WORDING.get((rule_set.id, rule_id))
    return rule_set.rule(rule_id).checks if text is None else str(text)
