"""The family self-check in the family's language: a translated twin of core's family wording.

Core words every statement for families in English (``FAMILY_TEMPLATES``) and names it with
a :class:`~stride.core.eligibility.family.FamilyCode`; here every code has its template
marked for translation, with the same ``{placeholders}``. A test checks that every code of
core has an entry here and that the placeholders match, so a new code in core cannot reach
a family untranslated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stride.core.eligibility.family import FamilyCode, FamilyMessage, FamilyView
from stride.core.eligibility.reasons import Param

_F = FamilyCode

#: The translatable template of every family statement (placeholders as in core).
FAMILY_WORDING: Final[Mapping[FamilyCode, Promise]] = MappingProxyType({
    _F.WORTH_AN_EVALUATION: _("Worth an evaluation."),
    _F.TEAM_WILL_LOOK_CLOSELY: _("Our team will look closely at the following:"),
    _F.WE_NEED_TO_KNOW: _("We need to know the following before we can say more:"),
    _F.PROBABLY_NOT_SUITABLE: _(
        "This treatment is probably not suitable for your child, because:"),
    _F.NOT_A_DECISION: _(
        "This self-check is not a medical decision and not a promise of treatment or of "
        "results. Only our team can decide, after an evaluation of your child."),
    _F.NOTHING_AGAINST_IN_ANSWERS: _("Nothing in your answers rules this treatment out."),
    _F.TEAM_WILL_FIND_OUT: _(
        "Our team will find out the following itself, from your child's records or at the "
        "evaluation; you do not need to answer:"),
    _F.MRI_REPORT_SENT: _(
        "What your child's brain scan (MRI) showed: a doctor will read the MRI report you "
        "sent."),
    _F.MRI_REPORT_WELCOME: _(
        "What your child's brain scan (MRI) showed: if you have an MRI report, send it in "
        "the family portal and a doctor will read it."),
    _F.NO_SELF_CHECK: _(
        "There is no self-check for this treatment. Our team reads your answers and writes "
        "to you."),
    _F.DYSKINETIC_SUBTYPE: _(
        "Your child's main type of movement problem is dyskinetic (involuntary movements). "
        "This operation reduces stiffness (spasticity); it does not help involuntary "
        "movements."),
    _F.ATAXIC_SUBTYPE: _(
        "Your child's main type of movement problem is ataxic (balance and coordination). "
        "This operation reduces stiffness (spasticity); it does not help balance and "
        "coordination."),
    _F.SUBTYPE_NON_CLASSIFIABLE: _(
        "The type of your child's movement problem has not been given a clear name yet."),
    _F.DYSTONIA_PREDOMINANT: _(
        "Dystonia (twisting, uncontrolled tightening of muscles) is your child's main "
        "movement problem. This operation reduces stiffness; it does not help dystonia."),
    _F.DYSTONIA_PRESENT: _(
        "Your child has some dystonia (twisting, uncontrolled tightening of muscles) as well "
        "as stiffness."),
    _F.AGE_BELOW_MINIMUM: _("Your child is younger than {minimum_years} years."),
    _F.AGE_BELOW_TYPICAL_RANGE: _(
        "Your child is younger than most children who have this operation (usually "
        "{lowest_years} to {highest_years} years old)."),
    _F.AGE_ABOVE_TYPICAL_RANGE: _(
        "Your child is older than most children who have this operation (usually "
        "{lowest_years} to {highest_years} years old)."),
    _F.GMFCS_OUTSIDE_TYPICAL_LEVELS: _(
        "The way your child moves about (GMFCS level {gmfcs_level}) differs from most "
        "children who have this operation (levels {typical_levels})."),
    _F.HIP_MIGRATION_ABOVE_LIMIT: _(
        "The hip x-ray shows a hip partly out of its socket ({hip_migration_percent}%); the "
        "hips may need treatment first."),
    _F.SIGNIFICANT_SCOLIOSIS: _("Your child has a significant curve of the spine (scoliosis)."),
    _F.LEG_STRENGTH_BELOW_MINIMUM: _(
        "The strength of your child's leg muscles was measured as low."),
    _F.MRI_DEEP_GREY_OR_CEREBELLAR_LESION: _(
        "Your child's brain scan (MRI) shows changes deep inside the brain or in the "
        "cerebellum."),
    _F.ORTHOPAEDIC_SURGERY_RECENT: _(
        "Your child's last operation on bones or muscles was less than {interval_months} "
        "months ago."),
    _F.BOTULINUM_TOXIN_RECENT: _(
        "Your child's last botulinum toxin (Botox) injections were less than "
        "{interval_months} months ago."),
    _F.INVESTIGATIONAL_TRIAL_ONLY: _(
        "Cell therapy for cerebral palsy is still being studied. It is offered only inside a "
        "registered clinical trial, and no trial was named."),
    _F.TRIAL_REGISTRATION_MALFORMED: _(
        "Cell therapy for cerebral palsy is still being studied. It is offered only inside a "
        "registered clinical trial, and we do not recognise the trial number "
        "'{trial_registration}'."),
    _F.EPILEPSY_UNCONTROLLED: _("Your child's seizures are not yet controlled."),
    _F.SEIZURE_FREE_TOO_SHORT: _(
        "Your child's last seizure was less than {minimum_months} months ago."),
    _F.EPILEPSY_PRESENT: _("Your child has epilepsy."),
    _F.HYDROCEPHALUS_PRESENT: _(
        "Your child has hydrocephalus (fluid building up in the brain)."),
    _F.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY: _(
        "You hope for better thinking and learning. Our clinic does not offer cell therapy "
        "for this goal to children with a severe intellectual disability."),
    _F.AUTISM_WITHOUT_MOTOR_DISORDER: _(
        "Your child has autism without a movement disorder; the trials are for children "
        "with cerebral palsy."),
    _F.PROGRESSIVE_OR_GENETIC_DISORDER: _("Your child has a progressive or genetic condition."),
    _F.BRAIN_MALFORMATION: _(
        "Your child's brain formed differently before birth (a brain malformation)."),
    _F.PRIOR_CELL_THERAPY: _("Your child has had cell therapy before."),
    _F.QUESTION_AGE_YEARS: _("How old your child is."),
    _F.QUESTION_SCPE_SUBTYPE: _(
        "Which type of cerebral palsy the doctors have described (for example spastic, "
        "dyskinetic or ataxic)."),
    _F.QUESTION_GMFCS: _(
        "How your child moves about: the GMFCS level, if a doctor or therapist has told you."),
    _F.QUESTION_DYSTONIA: _(
        "Whether your child has dystonia (twisting, uncontrolled tightening of muscles), and "
        "how much."),
    _F.QUESTION_EPILEPSY: _("Whether your child has epilepsy, and whether medicine controls it."),
    _F.QUESTION_SEIZURE_FREE_MONTHS: _("How many months ago your child's last seizure was."),
    _F.QUESTION_HYDROCEPHALUS: _(
        "Whether your child has hydrocephalus (fluid building up in the brain), and whether "
        "it is treated with a shunt."),
    _F.QUESTION_INTELLECTUAL_DISABILITY: _(
        "Whether your child has an intellectual disability, and how severe it is."),
    _F.QUESTION_AUTISM_WITHOUT_MOTOR_DISORDER: _(
        "Whether your child has autism without a movement disorder."),
    _F.QUESTION_PROGRESSIVE_OR_GENETIC_DISORDER: _(
        "Whether your child has a progressive or genetic condition."),
    _F.QUESTION_BRAIN_MALFORMATION: _(
        "Whether a doctor has found that your child's brain formed differently before birth "
        "(a brain malformation)."),
    _F.QUESTION_PRIOR_CELL_THERAPY: _("Whether your child has had cell therapy before."),
    _F.QUESTION_MONTHS_SINCE_BOTULINUM_TOXIN: _(
        "When your child last had botulinum toxin (Botox) injections, or that they never "
        "have."),
    _F.QUESTION_MONTHS_SINCE_ORTHOPAEDIC_SURGERY: _(
        "When your child last had an operation on bones or muscles, or that they never have."),
    _F.QUESTION_HIP_MIGRATION_PERCENT: _(
        "What the latest hip x-ray showed (the hip migration percentage)."),
    _F.QUESTION_SIGNIFICANT_SCOLIOSIS: _(
        "Whether your child has a significant curve of the spine (scoliosis)."),
    _F.QUESTION_LEG_STRENGTH_MRC_MEAN: _(
        "How strong your child's leg muscles are (the strength grades a physiotherapist "
        "measured)."),
    _F.QUESTION_MRI_FINDINGS: _("What your child's brain scan (MRI) showed."),
    _F.QUESTION_GOALS: _("What you most hope treatment will help with."),
    _F.QUESTION_TRIAL_REGISTRATION: _(
        "Which registered clinical trial the treatment would be part of (its registration "
        "number)."),
    # sdr-v2's statements (core added them; their translated twins, word for word)
    _F.NO_LEG_SPASTICITY: _(
        "The examination found no stiffness (spasticity) in your child's leg muscles. "
        "This operation reduces stiffness; it does not help other movement problems."),
    _F.LEG_SPASTICITY_BELOW_TARGET: _(
        "The stiffness (spasticity) measured in your child's leg muscles is mild."),
    _F.SELECTIVE_MOTOR_CONTROL_NOT_GOOD: _(
        "Your child finds it hard to move one joint of the leg at a time (selective motor "
        "control)."),
    _F.WALKER_LEG_STRENGTH_BELOW_MINIMUM: _(
        "Your child walks, and the leg muscles were measured as weak. Children who walk "
        "need strong enough legs to keep walking once stiffness is reduced."),
    _F.HIP_MIGRATION_AT_OR_ABOVE_LIMIT: _(
        "The hip x-ray shows a hip partly out of its socket ({hip_migration_percent}%); "
        "the hips may need treatment first."),
    _F.MRI_NO_PVL: _(
        "Your child's brain scan (MRI) does not show the change some centres look for "
        "(periventricular leukomalacia)."),
    _F.PREVIOUS_MULTILEVEL_SURGERY: _(
        "Your child has had operations on several levels of the legs (multilevel surgery) "
        "before."),
    _F.QUESTION_LEG_SPASTICITY_MAS: _(
        "How stiff your child's leg muscles are (a physiotherapist or doctor measures "
        "this)."),
    _F.QUESTION_LEG_SELECTIVE_MOTOR_CONTROL: _(
        "How well your child can move one joint of the leg at a time (a physiotherapist "
        "or doctor checks this)."),
    _F.QUESTION_PREVIOUS_MULTILEVEL_SURGERY: _(
        "Whether your child has had operations on several levels of the legs at once "
        "(multilevel surgery)."),
})


def display_parameter(value: Param) -> str:
    """Write a parameter in the active language (numbers localised, lists joined)."""
    if isinstance(value, tuple):
        return ", ".join(display_parameter(item) for item in value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return number_format(value, decimal_pos=None if value != int(value) else 0)
    return str(value)


def family_text(message: FamilyMessage) -> str:
    """Return ``message`` in the active language with its values filled in."""
    template = str(FAMILY_WORDING[message.code])
    return template.format_map({name: display_parameter(value)
                                for name, value in message.parameters.items()})


@dataclass(frozen=True)
class WordedSection:
    """A heading and its statements, translated."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class WordedSelfCheck:
    """A family self-check ready for a template: outcome code, sections and the note."""

    outcome: str
    sections: tuple[WordedSection, ...]
    note: str


def worded(view: FamilyView) -> WordedSelfCheck:
    """Return ``view`` translated into the active language."""
    return WordedSelfCheck(
        outcome=view.outcome.value,
        sections=tuple(
            WordedSection(heading=str(FAMILY_WORDING[section.heading]),
                          items=tuple(family_text(item) for item in section.items))
            for section in view.sections
        ),
        note=str(FAMILY_WORDING[view.note]),
    )


def no_self_check() -> WordedSelfCheck:
    """The self-check shown for a programme without one (no released rule set): the team
    reads the answers; outcome ``none``."""
    return WordedSelfCheck(
        outcome="none",
        sections=(WordedSection(heading=str(FAMILY_WORDING[_F.NO_SELF_CHECK]), items=()),),
        note=str(FAMILY_WORDING[_F.NOT_A_DECISION]),
    )
