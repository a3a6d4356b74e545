"""The candidacy page in the clinician's language: a translated twin of core's English wording.

Core names every rule result with a stable :class:`~stride.core.eligibility.reasons.Reason`
code and words it in English (``REASON_TEMPLATES``, used by the command line); every rule
has an English ``checks`` sentence. Here each code, rule, fact, verdict and outcome has its
text marked for translation, with the same ``{placeholders}``. Tests check that every code
and rule of core has an entry here and that the placeholders match, so a new rule in core
cannot reach a clinician untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stride.core.eligibility.facts import Fact
from stride.core.eligibility.model import Outcome, RuleResult, RuleSet, Verdict
from stride.core.eligibility.reasons import Reason
from stride.web.intake.wording import display_parameter

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
})


def reason_text(result: RuleResult) -> str:
    """Return why ``result`` came out as it did, in the active language."""
    template = str(REASON_WORDING[result.reason])
    return template.format_map({name: display_parameter(value)
                                for name, value in result.parameters.items()})


def rule_text(rule_set: RuleSet, rule_id: str) -> str:
    """Return what the rule checks, in the active language."""
    return str(RULE_WORDING[(rule_set.id, rule_id)])
