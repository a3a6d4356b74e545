"""Family self-check: the same decision, worded for families.

The engine's outcome becomes a short, honest message built from coded statements:

============================  ======================================================
outcome                       what the family reads
============================  ======================================================
``candidate``                 worth an evaluation
``review``                    worth an evaluation; our team will look closely at …
``needs-information``         we need to know …; (our team will look closely at …)
``not-candidate``             probably not suitable because …
============================  ======================================================

and always a note that the self-check is not a decision. The wording never says
"eligible" and never promises treatment or results: only the team's evaluation decides.

Every statement is a :class:`FamilyCode` with parameters. :data:`FAMILY_TEMPLATES` holds
the English template of every code (headings, one plain-words sentence per reason a rule
can fire with, and one question per fact, see :data:`FACT_QUESTIONS`); the web layer keeps
a translated twin of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from stride.core.eligibility.facts import Fact
from stride.core.eligibility.model import Decision, Outcome, RuleResult, Verdict
from stride.core.eligibility.reasons import Param, Reason, render


class FamilyCode(StrEnum):
    """A statement shown to families; the value is the stored code."""

    # headings and the standing note
    WORTH_AN_EVALUATION = "worth-an-evaluation"
    TEAM_WILL_LOOK_CLOSELY = "team-will-look-closely"
    WE_NEED_TO_KNOW = "we-need-to-know"
    PROBABLY_NOT_SUITABLE = "probably-not-suitable"
    NOT_A_DECISION = "not-a-decision"
    # family mode (``family_view(asked=...)``): what the form did not ask
    NOTHING_AGAINST_IN_ANSWERS = "nothing-against-in-answers"
    TEAM_WILL_FIND_OUT = "team-will-find-out"
    MRI_REPORT_SENT = "mri-report-sent"
    MRI_REPORT_WELCOME = "mri-report-welcome"
    # a programme without a self-check (no released rule set)
    NO_SELF_CHECK = "no-self-check"
    # one sentence per reason a rule can fire with
    DYSKINETIC_SUBTYPE = "family-dyskinetic-subtype"
    ATAXIC_SUBTYPE = "family-ataxic-subtype"
    SUBTYPE_NON_CLASSIFIABLE = "family-subtype-non-classifiable"
    DYSTONIA_PREDOMINANT = "family-dystonia-predominant"
    DYSTONIA_PRESENT = "family-dystonia-present"
    AGE_BELOW_MINIMUM = "family-age-below-minimum"
    AGE_BELOW_TYPICAL_RANGE = "family-age-below-typical-range"
    AGE_ABOVE_TYPICAL_RANGE = "family-age-above-typical-range"
    GMFCS_OUTSIDE_TYPICAL_LEVELS = "family-gmfcs-outside-typical-levels"
    HIP_MIGRATION_ABOVE_LIMIT = "family-hip-migration-above-limit"
    SIGNIFICANT_SCOLIOSIS = "family-significant-scoliosis"
    LEG_STRENGTH_BELOW_MINIMUM = "family-leg-strength-below-minimum"
    MRI_DEEP_GREY_OR_CEREBELLAR_LESION = "family-mri-deep-grey-or-cerebellar-lesion"
    ORTHOPAEDIC_SURGERY_RECENT = "family-orthopaedic-surgery-recent"
    BOTULINUM_TOXIN_RECENT = "family-botulinum-toxin-recent"
    INVESTIGATIONAL_TRIAL_ONLY = "family-investigational-trial-only"
    TRIAL_REGISTRATION_MALFORMED = "family-trial-registration-malformed"
    EPILEPSY_UNCONTROLLED = "family-epilepsy-uncontrolled"
    SEIZURE_FREE_TOO_SHORT = "family-seizure-free-too-short"
    EPILEPSY_PRESENT = "family-epilepsy-present"
    HYDROCEPHALUS_PRESENT = "family-hydrocephalus-present"
    COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY = (
        "family-cognition-goal-with-severe-intellectual-disability"
    )
    AUTISM_WITHOUT_MOTOR_DISORDER = "family-autism-without-motor-disorder"
    PROGRESSIVE_OR_GENETIC_DISORDER = "family-progressive-or-genetic-disorder"
    BRAIN_MALFORMATION = "family-brain-malformation"
    PRIOR_CELL_THERAPY = "family-prior-cell-therapy"
    NO_LEG_SPASTICITY = "family-no-leg-spasticity"
    LEG_SPASTICITY_BELOW_TARGET = "family-leg-spasticity-below-target"
    SELECTIVE_MOTOR_CONTROL_NOT_GOOD = "family-selective-motor-control-not-good"
    WALKER_LEG_STRENGTH_BELOW_MINIMUM = "family-walker-leg-strength-below-minimum"
    HIP_MIGRATION_AT_OR_ABOVE_LIMIT = "family-hip-migration-at-or-above-limit"
    MRI_NO_PVL = "family-mri-no-pvl"
    PREVIOUS_MULTILEVEL_SURGERY = "family-previous-multilevel-surgery"
    # one question per fact: what "we need to know" asks
    QUESTION_AGE_YEARS = "question-age-years"
    QUESTION_SCPE_SUBTYPE = "question-scpe-subtype"
    QUESTION_GMFCS = "question-gmfcs"
    QUESTION_DYSTONIA = "question-dystonia"
    QUESTION_EPILEPSY = "question-epilepsy"
    QUESTION_SEIZURE_FREE_MONTHS = "question-seizure-free-months"
    QUESTION_HYDROCEPHALUS = "question-hydrocephalus"
    QUESTION_INTELLECTUAL_DISABILITY = "question-intellectual-disability"
    QUESTION_AUTISM_WITHOUT_MOTOR_DISORDER = "question-autism-without-motor-disorder"
    QUESTION_PROGRESSIVE_OR_GENETIC_DISORDER = "question-progressive-or-genetic-disorder"
    QUESTION_BRAIN_MALFORMATION = "question-brain-malformation"
    QUESTION_PRIOR_CELL_THERAPY = "question-prior-cell-therapy"
    QUESTION_MONTHS_SINCE_BOTULINUM_TOXIN = "question-months-since-botulinum-toxin"
    QUESTION_MONTHS_SINCE_ORTHOPAEDIC_SURGERY = "question-months-since-orthopaedic-surgery"
    QUESTION_HIP_MIGRATION_PERCENT = "question-hip-migration-percent"
    QUESTION_SIGNIFICANT_SCOLIOSIS = "question-significant-scoliosis"
    QUESTION_LEG_STRENGTH_MRC_MEAN = "question-leg-strength-mrc-mean"
    QUESTION_MRI_FINDINGS = "question-mri-findings"
    QUESTION_GOALS = "question-goals"
    QUESTION_TRIAL_REGISTRATION = "question-trial-registration"
    QUESTION_LEG_SPASTICITY_MAS = "question-leg-spasticity-mas"
    QUESTION_LEG_SELECTIVE_MOTOR_CONTROL = "question-leg-selective-motor-control"
    QUESTION_PREVIOUS_MULTILEVEL_SURGERY = "question-previous-multilevel-surgery"


_F = FamilyCode

#: English template of every family statement.
FAMILY_TEMPLATES: Final[Mapping[FamilyCode, str]] = MappingProxyType({
    _F.WORTH_AN_EVALUATION: "Worth an evaluation.",
    _F.TEAM_WILL_LOOK_CLOSELY: "Our team will look closely at the following:",
    _F.WE_NEED_TO_KNOW: "We need to know the following before we can say more:",
    _F.PROBABLY_NOT_SUITABLE: "This treatment is probably not suitable for your child, because:",
    _F.NOT_A_DECISION: (
        "This self-check is not a medical decision and not a promise of treatment or of "
        "results. Only our team can decide, after an evaluation of your child."
    ),
    _F.NOTHING_AGAINST_IN_ANSWERS: "Nothing in your answers rules this treatment out.",
    _F.TEAM_WILL_FIND_OUT: (
        "Our team will find out the following itself, from your child's records or at the "
        "evaluation; you do not need to answer:"
    ),
    _F.MRI_REPORT_SENT: (
        "What your child's brain scan (MRI) showed: a doctor will read the MRI report you sent."
    ),
    _F.MRI_REPORT_WELCOME: (
        "What your child's brain scan (MRI) showed: if you have an MRI report, send it in the "
        "family portal and a doctor will read it."
    ),
    _F.NO_SELF_CHECK: (
        "There is no self-check for this treatment. Our team reads your answers and writes "
        "to you."
    ),
    _F.DYSKINETIC_SUBTYPE: (
        "Your child's main type of movement problem is dyskinetic (involuntary movements). "
        "This operation reduces stiffness (spasticity); it does not help involuntary movements."
    ),
    _F.ATAXIC_SUBTYPE: (
        "Your child's main type of movement problem is ataxic (balance and coordination). "
        "This operation reduces stiffness (spasticity); it does not help balance and "
        "coordination."
    ),
    _F.SUBTYPE_NON_CLASSIFIABLE: (
        "The type of your child's movement problem has not been given a clear name yet."
    ),
    _F.DYSTONIA_PREDOMINANT: (
        "Dystonia (twisting, uncontrolled tightening of muscles) is your child's main movement "
        "problem. This operation reduces stiffness; it does not help dystonia."
    ),
    _F.DYSTONIA_PRESENT: (
        "Your child has some dystonia (twisting, uncontrolled tightening of muscles) as well "
        "as stiffness."
    ),
    _F.AGE_BELOW_MINIMUM: "Your child is younger than {minimum_years} years.",
    _F.AGE_BELOW_TYPICAL_RANGE: (
        "Your child is younger than most children who have this operation (usually "
        "{lowest_years} to {highest_years} years old)."
    ),
    _F.AGE_ABOVE_TYPICAL_RANGE: (
        "Your child is older than most children who have this operation (usually "
        "{lowest_years} to {highest_years} years old)."
    ),
    _F.GMFCS_OUTSIDE_TYPICAL_LEVELS: (
        "The way your child moves about (GMFCS level {gmfcs_level}) differs from most children "
        "who have this operation (levels {typical_levels})."
    ),
    _F.HIP_MIGRATION_ABOVE_LIMIT: (
        "The hip x-ray shows a hip partly out of its socket ({hip_migration_percent}%); the "
        "hips may need treatment first."
    ),
    _F.SIGNIFICANT_SCOLIOSIS: "Your child has a significant curve of the spine (scoliosis).",
    _F.LEG_STRENGTH_BELOW_MINIMUM: "The strength of your child's leg muscles was measured as low.",
    _F.MRI_DEEP_GREY_OR_CEREBELLAR_LESION: (
        "Your child's brain scan (MRI) shows changes deep inside the brain or in the "
        "cerebellum."
    ),
    _F.ORTHOPAEDIC_SURGERY_RECENT: (
        "Your child's last operation on bones or muscles was less than {interval_months} "
        "months ago."
    ),
    _F.BOTULINUM_TOXIN_RECENT: (
        "Your child's last botulinum toxin (Botox) injections were less than "
        "{interval_months} months ago."
    ),
    _F.INVESTIGATIONAL_TRIAL_ONLY: (
        "Cell therapy for cerebral palsy is still being studied. It is offered only inside a "
        "registered clinical trial, and no trial was named."
    ),
    _F.TRIAL_REGISTRATION_MALFORMED: (
        "Cell therapy for cerebral palsy is still being studied. It is offered only inside a "
        "registered clinical trial, and we do not recognise the trial number "
        "'{trial_registration}'."
    ),
    _F.EPILEPSY_UNCONTROLLED: "Your child's seizures are not yet controlled.",
    _F.SEIZURE_FREE_TOO_SHORT: (
        "Your child's last seizure was less than {minimum_months} months ago."
    ),
    _F.EPILEPSY_PRESENT: "Your child has epilepsy.",
    _F.HYDROCEPHALUS_PRESENT: "Your child has hydrocephalus (fluid building up in the brain).",
    _F.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY: (
        "You hope for better thinking and learning. Our clinic does not offer cell therapy "
        "for this goal to children with a severe intellectual disability."
    ),
    _F.AUTISM_WITHOUT_MOTOR_DISORDER: (
        "Your child has autism without a movement disorder; the trials are for children with "
        "cerebral palsy."
    ),
    _F.PROGRESSIVE_OR_GENETIC_DISORDER: "Your child has a progressive or genetic condition.",
    _F.BRAIN_MALFORMATION: (
        "Your child's brain formed differently before birth (a brain malformation)."
    ),
    _F.PRIOR_CELL_THERAPY: "Your child has had cell therapy before.",
    _F.NO_LEG_SPASTICITY: (
        "The examination found no stiffness (spasticity) in your child's leg muscles. This "
        "operation reduces stiffness; it does not help other movement problems."
    ),
    _F.LEG_SPASTICITY_BELOW_TARGET: (
        "The stiffness (spasticity) measured in your child's leg muscles is mild."
    ),
    _F.SELECTIVE_MOTOR_CONTROL_NOT_GOOD: (
        "Your child finds it hard to move one joint of the leg at a time (selective motor "
        "control)."
    ),
    _F.WALKER_LEG_STRENGTH_BELOW_MINIMUM: (
        "Your child walks, and the leg muscles were measured as weak. Children who walk need "
        "strong enough legs to keep walking once stiffness is reduced."
    ),
    _F.HIP_MIGRATION_AT_OR_ABOVE_LIMIT: (
        "The hip x-ray shows a hip partly out of its socket ({hip_migration_percent}%); the "
        "hips may need treatment first."
    ),
    _F.MRI_NO_PVL: (
        "Your child's brain scan (MRI) does not show the change some centres look for "
        "(periventricular leukomalacia)."
    ),
    _F.PREVIOUS_MULTILEVEL_SURGERY: (
        "Your child has had operations on several levels of the legs (multilevel surgery) "
        "before."
    ),
    _F.QUESTION_AGE_YEARS: "How old your child is.",
    _F.QUESTION_SCPE_SUBTYPE: (
        "Which type of cerebral palsy the doctors have described (for example spastic, "
        "dyskinetic or ataxic)."
    ),
    _F.QUESTION_GMFCS: (
        "How your child moves about: the GMFCS level, if a doctor or therapist has told you."
    ),
    _F.QUESTION_DYSTONIA: (
        "Whether your child has dystonia (twisting, uncontrolled tightening of muscles), and "
        "how much."
    ),
    _F.QUESTION_EPILEPSY: "Whether your child has epilepsy, and whether medicine controls it.",
    _F.QUESTION_SEIZURE_FREE_MONTHS: "How many months ago your child's last seizure was.",
    _F.QUESTION_HYDROCEPHALUS: (
        "Whether your child has hydrocephalus (fluid building up in the brain), and whether "
        "it is treated with a shunt."
    ),
    _F.QUESTION_INTELLECTUAL_DISABILITY: (
        "Whether your child has an intellectual disability, and how severe it is."
    ),
    _F.QUESTION_AUTISM_WITHOUT_MOTOR_DISORDER: (
        "Whether your child has autism without a movement disorder."
    ),
    _F.QUESTION_PROGRESSIVE_OR_GENETIC_DISORDER: (
        "Whether your child has a progressive or genetic condition."
    ),
    _F.QUESTION_BRAIN_MALFORMATION: (
        "Whether a doctor has found that your child's brain formed differently before birth "
        "(a brain malformation)."
    ),
    _F.QUESTION_PRIOR_CELL_THERAPY: "Whether your child has had cell therapy before.",
    _F.QUESTION_MONTHS_SINCE_BOTULINUM_TOXIN: (
        "When your child last had botulinum toxin (Botox) injections, or that they never have."
    ),
    _F.QUESTION_MONTHS_SINCE_ORTHOPAEDIC_SURGERY: (
        "When your child last had an operation on bones or muscles, or that they never have."
    ),
    _F.QUESTION_HIP_MIGRATION_PERCENT: (
        "What the latest hip x-ray showed (the hip migration percentage)."
    ),
    _F.QUESTION_SIGNIFICANT_SCOLIOSIS: (
        "Whether your child has a significant curve of the spine (scoliosis)."
    ),
    _F.QUESTION_LEG_STRENGTH_MRC_MEAN: (
        "How strong your child's leg muscles are (the strength grades a physiotherapist "
        "measured)."
    ),
    _F.QUESTION_MRI_FINDINGS: "What your child's brain scan (MRI) showed.",
    _F.QUESTION_GOALS: "What you most hope treatment will help with.",
    _F.QUESTION_TRIAL_REGISTRATION: (
        "Which registered clinical trial the treatment would be part of (its registration "
        "number)."
    ),
    _F.QUESTION_LEG_SPASTICITY_MAS: (
        "How stiff your child's leg muscles are (a physiotherapist or doctor measures this)."
    ),
    _F.QUESTION_LEG_SELECTIVE_MOTOR_CONTROL: (
        "How well your child can move one joint of the leg at a time (a physiotherapist or "
        "doctor checks this)."
    ),
    _F.QUESTION_PREVIOUS_MULTILEVEL_SURGERY: (
        "Whether your child has had operations on several levels of the legs at once "
        "(multilevel surgery)."
    ),
})

#: The question asked for each fact when a rule needs it and it is unknown.
FACT_QUESTIONS: Final[Mapping[Fact, FamilyCode]] = MappingProxyType(
    {fact: FamilyCode(f"question-{fact.value.replace('_', '-')}") for fact in Fact}
)

#: The family sentence for each reason a rule can fire with (exclude or caution).
FAMILY_REASONS: Final[Mapping[Reason, FamilyCode]] = MappingProxyType({
    Reason.DYSKINETIC_SUBTYPE: _F.DYSKINETIC_SUBTYPE,
    Reason.ATAXIC_SUBTYPE: _F.ATAXIC_SUBTYPE,
    Reason.SUBTYPE_NON_CLASSIFIABLE: _F.SUBTYPE_NON_CLASSIFIABLE,
    Reason.DYSTONIA_PREDOMINANT: _F.DYSTONIA_PREDOMINANT,
    Reason.DYSTONIA_PRESENT: _F.DYSTONIA_PRESENT,
    Reason.AGE_BELOW_MINIMUM: _F.AGE_BELOW_MINIMUM,
    Reason.AGE_BELOW_TYPICAL_RANGE: _F.AGE_BELOW_TYPICAL_RANGE,
    Reason.AGE_ABOVE_TYPICAL_RANGE: _F.AGE_ABOVE_TYPICAL_RANGE,
    Reason.GMFCS_OUTSIDE_TYPICAL_LEVELS: _F.GMFCS_OUTSIDE_TYPICAL_LEVELS,
    Reason.HIP_MIGRATION_ABOVE_LIMIT: _F.HIP_MIGRATION_ABOVE_LIMIT,
    Reason.SIGNIFICANT_SCOLIOSIS: _F.SIGNIFICANT_SCOLIOSIS,
    Reason.LEG_STRENGTH_BELOW_MINIMUM: _F.LEG_STRENGTH_BELOW_MINIMUM,
    Reason.MRI_DEEP_GREY_OR_CEREBELLAR_LESION: _F.MRI_DEEP_GREY_OR_CEREBELLAR_LESION,
    Reason.ORTHOPAEDIC_SURGERY_RECENT: _F.ORTHOPAEDIC_SURGERY_RECENT,
    Reason.BOTULINUM_TOXIN_RECENT: _F.BOTULINUM_TOXIN_RECENT,
    Reason.INVESTIGATIONAL_TRIAL_ONLY: _F.INVESTIGATIONAL_TRIAL_ONLY,
    Reason.TRIAL_REGISTRATION_MALFORMED: _F.TRIAL_REGISTRATION_MALFORMED,
    Reason.EPILEPSY_UNCONTROLLED: _F.EPILEPSY_UNCONTROLLED,
    Reason.SEIZURE_FREE_TOO_SHORT: _F.SEIZURE_FREE_TOO_SHORT,
    Reason.EPILEPSY_PRESENT: _F.EPILEPSY_PRESENT,
    Reason.HYDROCEPHALUS_PRESENT: _F.HYDROCEPHALUS_PRESENT,
    Reason.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY: (
        _F.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY
    ),
    Reason.AUTISM_WITHOUT_MOTOR_DISORDER: _F.AUTISM_WITHOUT_MOTOR_DISORDER,
    Reason.PROGRESSIVE_OR_GENETIC_DISORDER: _F.PROGRESSIVE_OR_GENETIC_DISORDER,
    Reason.BRAIN_MALFORMATION: _F.BRAIN_MALFORMATION,
    Reason.PRIOR_CELL_THERAPY: _F.PRIOR_CELL_THERAPY,
    Reason.NO_LEG_SPASTICITY: _F.NO_LEG_SPASTICITY,
    Reason.LEG_SPASTICITY_BELOW_TARGET: _F.LEG_SPASTICITY_BELOW_TARGET,
    Reason.SELECTIVE_MOTOR_CONTROL_NOT_GOOD: _F.SELECTIVE_MOTOR_CONTROL_NOT_GOOD,
    Reason.WALKER_LEG_STRENGTH_BELOW_MINIMUM: _F.WALKER_LEG_STRENGTH_BELOW_MINIMUM,
    Reason.HIP_MIGRATION_AT_OR_ABOVE_LIMIT: _F.HIP_MIGRATION_AT_OR_ABOVE_LIMIT,
    Reason.MRI_NO_PVL: _F.MRI_NO_PVL,
    Reason.PREVIOUS_MULTILEVEL_SURGERY: _F.PREVIOUS_MULTILEVEL_SURGERY,
})


@dataclass(frozen=True, slots=True)
class FamilyMessage:
    """One family statement: a code and the values its template needs."""

    code: FamilyCode
    parameters: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def text(self) -> str:
        """Return the English sentence."""
        return render(FAMILY_TEMPLATES[self.code], self.parameters)


@dataclass(frozen=True, slots=True)
class FamilySection:
    """A heading (one of the four family messages) and the statements under it."""

    heading: FamilyCode
    items: tuple[FamilyMessage, ...] = ()


@dataclass(frozen=True, slots=True)
class FamilyView:
    """A decision worded for families.

    Attributes
    ----------
    rule_set_id
        The rule set that made the decision (``"sdr-v1"``).
    outcome
        The decision's outcome, unchanged.
    sections
        What the family reads, in order.
    note
        The standing note that this is not a decision or a promise.
    """

    rule_set_id: str
    outcome: Outcome
    sections: tuple[FamilySection, ...]
    note: FamilyCode = FamilyCode.NOT_A_DECISION

    def to_json(self) -> dict[str, object]:
        """Return the view as JSON-ready English text (for the command line)."""
        return {
            "sections": [
                {
                    "heading": FAMILY_TEMPLATES[section.heading],
                    "items": [item.text() for item in section.items],
                }
                for section in self.sections
            ],
            "note": FAMILY_TEMPLATES[self.note],
        }


def family_view(decision: Decision, *, asked: frozenset[Fact] | None = None,
                mri_report: bool = False) -> FamilyView:
    """Word ``decision`` for the child's family.

    ``not-candidate`` shows only the exclusions (why it is probably not suitable);
    ``needs-information`` asks one question per missing fact, then lists the cautions;
    ``review`` says "worth an evaluation" and lists the cautions; ``candidate`` says
    "worth an evaluation". Every view carries the not-a-decision note.

    Family mode: ``asked`` names the facts the family was asked about (the inquiry form's
    ``FORM_ASKS``). Only those are asked for again ("we need to know"); the other missing
    facts are listed as what the team finds out itself, so a family is never told that
    something is missing which nobody asked them. ``mri_report`` says that an MRI report
    came with the inquiry: the MRI is then "the report you sent", not something to send.
    """
    cautions = _statements(decision.with_verdict(Verdict.CAUTION))
    look_closely = (FamilySection(FamilyCode.TEAM_WILL_LOOK_CLOSELY, cautions),) if cautions else ()
    if decision.outcome is Outcome.NOT_CANDIDATE:
        exclusions = _statements(decision.with_verdict(Verdict.EXCLUDE))
        sections: tuple[FamilySection, ...] = (
            FamilySection(FamilyCode.PROBABLY_NOT_SUITABLE, exclusions),
        )
    elif decision.outcome is Outcome.NEEDS_INFORMATION and asked is not None:
        sections = _family_mode_sections(decision.missing, asked, mri_report, look_closely)
    elif decision.outcome is Outcome.NEEDS_INFORMATION:
        questions = tuple(FamilyMessage(FACT_QUESTIONS[fact]) for fact in decision.missing)
        sections = (FamilySection(FamilyCode.WE_NEED_TO_KNOW, questions), *look_closely)
    else:
        sections = (FamilySection(FamilyCode.WORTH_AN_EVALUATION), *look_closely)
    return FamilyView(decision.rule_set_id, decision.outcome, sections)


def _family_mode_sections(missing: tuple[Fact, ...], asked: frozenset[Fact], mri_report: bool,
                          look_closely: tuple[FamilySection, ...],
                          ) -> tuple[FamilySection, ...]:
    ask_again = tuple(FamilyMessage(FACT_QUESTIONS[fact]) for fact in missing if fact in asked)
    team: list[FamilyMessage] = []
    for fact in missing:
        if fact in asked:
            continue
        if fact is Fact.MRI_FINDINGS:
            team.append(FamilyMessage(FamilyCode.MRI_REPORT_SENT if mri_report
                                      else FamilyCode.MRI_REPORT_WELCOME))
        else:
            team.append(FamilyMessage(FACT_QUESTIONS[fact]))
    first = (FamilySection(FamilyCode.WE_NEED_TO_KNOW, ask_again) if ask_again
             else FamilySection(FamilyCode.NOTHING_AGAINST_IN_ANSWERS))
    found_by_team = (FamilySection(FamilyCode.TEAM_WILL_FIND_OUT, tuple(team)),) if team else ()
    return (first, *found_by_team, *look_closely)


def _statements(results: tuple[RuleResult, ...]) -> tuple[FamilyMessage, ...]:
    messages: list[FamilyMessage] = []
    for result in results:
        message = FamilyMessage(FAMILY_REASONS[result.reason], result.parameters)
        if message not in messages:
            messages.append(message)
    return tuple(messages)
