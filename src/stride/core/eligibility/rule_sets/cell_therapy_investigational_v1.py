"""Rule set ``cell-therapy-investigational-v1``: who may be offered a place in a registered
cell-therapy trial for CP. Released; never edit.

Cell therapy for CP is investigational: unproven cell products must not be offered outside
trials (ISSCR Guidelines 2021, recommendation 3.1.1), so a child without a well-formed
trial registration is excluded. The other rules are the seed clinic's own published
criteria plus the exclusions seen in registered cell-therapy trials for CP such as
ACCeNT-CP (``../shared/clinical-reference.md``, "Treatment evidence", verified): intractable
epilepsy, brain malformation or genetic condition, hydrocephalus, autism without motor
disability, progressive disease, prior cell therapy, botulinum toxin or surgery within
3 months. Every rule here excludes except the epilepsy-history caution.
"""

from __future__ import annotations

from typing import Final

from stride.core.eligibility.checks import coded, flag, within_months
from stride.core.eligibility.facts import (
    Epilepsy,
    Fact,
    Facts,
    Goal,
    Hydrocephalus,
    IntellectualDisability,
    MriFinding,
)
from stride.core.eligibility.model import Finding, Rule, RuleSet, Unknown, Verdict
from stride.core.eligibility.reasons import Reason
from stride.core.errors import InvalidValue
from stride.core.pathway import Programme
from stride.core.trials import ACCEPTED_FORMS, parse_trial_registration

ISSCR: Final = "ISSCR Guidelines 2021, recommendation 3.1.1"
TRIAL_EXCLUSIONS: Final = "registered cell-therapy trials for CP (e.g. ACCeNT-CP)"
# Erratum (issue 17): this label once cited a Stride issue; the seed clinic's criteria are
# not on the verified reference list, so they are the programme's own policy. Only the label
# changed, never a rule, threshold or reason.
SEED_CLINIC: Final = "Programme policy (the seed clinic's own criteria)"

#: Controlled epilepsy with fewer seizure-free months than this excludes; at this many or
#: more it is a caution. The seed clinic: "not eligible… unless controlled for more than
#: 6 months"; programme policy puts exactly 6 months on the caution side.
MINIMUM_SEIZURE_FREE_MONTHS: Final = 6.0
#: Botulinum toxin or orthopaedic surgery fewer than this many months ago excludes
#: (registered trials: "botulinum toxin or surgery within 3 months").
TREATMENT_INTERVAL_MONTHS: Final = 3.0


def _registered_trial(facts: Facts) -> Finding:
    # Never Unknown: without a registration there is no trial to offer a place in.
    value = facts.trial_registration
    if value is None:
        return Finding(True, Reason.INVESTIGATIONAL_TRIAL_ONLY)
    try:
        registration = parse_trial_registration(value)
    except InvalidValue:
        return Finding(
            True,
            Reason.TRIAL_REGISTRATION_MALFORMED,
            {"trial_registration": value, "accepted_forms": ACCEPTED_FORMS},
        )
    return Finding(
        False,
        Reason.REGISTERED_TRIAL,
        {"trial_id": registration.trial_id, "registry": registration.registry.value},
    )


def _epilepsy_control(facts: Facts) -> Finding | Unknown:
    epilepsy = facts.epilepsy
    if epilepsy is None:
        return Unknown((Fact.EPILEPSY,))
    if epilepsy is Epilepsy.NONE:
        return Finding(False, Reason.NO_EPILEPSY, {"epilepsy": epilepsy.value})
    if epilepsy is Epilepsy.UNCONTROLLED:
        return Finding(True, Reason.EPILEPSY_UNCONTROLLED, {"epilepsy": epilepsy.value})
    months = facts.seizure_free_months
    if months is None:
        return Unknown((Fact.SEIZURE_FREE_MONTHS,))
    parameters = {"seizure_free_months": months, "minimum_months": MINIMUM_SEIZURE_FREE_MONTHS}
    if months < MINIMUM_SEIZURE_FREE_MONTHS:
        return Finding(True, Reason.SEIZURE_FREE_TOO_SHORT, parameters)
    return Finding(False, Reason.SEIZURE_FREE_LONG_ENOUGH, parameters)


def _cognition_goal(facts: Facts) -> Finding | Unknown:
    # Fires only when both are known to hold; either one known not to hold is a pass.
    disability = facts.intellectual_disability
    goals = facts.goals
    if disability is not None and disability is not IntellectualDisability.SEVERE:
        return Finding(
            False,
            Reason.INTELLECTUAL_DISABILITY_NOT_SEVERE,
            {"intellectual_disability": disability.value},
        )
    if goals is not None and Goal.COGNITION not in goals:
        return Finding(
            False, Reason.COGNITION_NOT_A_GOAL, {"goals": tuple(goal.value for goal in goals)}
        )
    absent = tuple(
        fact
        for fact, value in ((Fact.INTELLECTUAL_DISABILITY, disability), (Fact.GOALS, goals))
        if value is None
    )
    if absent:
        return Unknown(absent)
    return Finding(True, Reason.COGNITION_GOAL_WITH_SEVERE_INTELLECTUAL_DISABILITY)


def _brain_malformation(facts: Facts) -> Finding | Unknown:
    # A malformation seen on MRI counts even when the yes/no fact is unknown (Facts refuses
    # a "no" beside it as a contradiction).
    if facts.mri_findings is not None and MriFinding.MALFORMATION in facts.mri_findings:
        return Finding(True, Reason.BRAIN_MALFORMATION)
    if facts.brain_malformation is None:
        return Unknown((Fact.BRAIN_MALFORMATION,))
    if facts.brain_malformation:
        return Finding(True, Reason.BRAIN_MALFORMATION)
    return Finding(False, Reason.NO_BRAIN_MALFORMATION)


RULE_SET: Final = RuleSet(
    name="cell-therapy-investigational",
    version=1,
    title="Investigational cell therapy for CP: a place in a registered trial",
    programme=Programme.CELL_THERAPY,
    sources=(ISSCR, TRIAL_EXCLUSIONS, SEED_CLINIC),
    rules=(
        Rule(
            id="registered-trial",
            checks="A well-formed registration id of the trial the course would belong to.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{ISSCR} (unproven cell products must not be marketed outside trials)",
            needs=(Fact.TRIAL_REGISTRATION,),
            check=_registered_trial,
        ),
        Rule(
            id="epilepsy-control",
            checks=f"Epilepsy, if any, is controlled with at least "
            f"{MINIMUM_SEIZURE_FREE_MONTHS:g} seizure-free months.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{SEED_CLINIC} (epilepsy unless controlled for more than 6 months); "
            f"{TRIAL_EXCLUSIONS} (intractable epilepsy)",
            needs=(Fact.EPILEPSY, Fact.SEIZURE_FREE_MONTHS),
            check=_epilepsy_control,
        ),
        Rule(
            id="epilepsy-history",
            checks="There is no epilepsy (controlled epilepsy is for the team to weigh).",
            fires_as=Verdict.CAUTION,
            citation=f"{SEED_CLINIC}; {TRIAL_EXCLUSIONS} (intractable epilepsy or epileptic "
            "encephalopathy)",
            needs=(Fact.EPILEPSY,),
            check=coded(
                Fact.EPILEPSY,
                fires={
                    Epilepsy.CONTROLLED: Reason.EPILEPSY_PRESENT,
                    Epilepsy.UNCONTROLLED: Reason.EPILEPSY_PRESENT,
                },
                passed=Reason.NO_EPILEPSY,
            ),
        ),
        Rule(
            id="hydrocephalus",
            checks="There is no hydrocephalus, shunted or untreated.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{SEED_CLINIC} (patients with hydrocephalus); {TRIAL_EXCLUSIONS} "
            "(obstructive hydrocephalus)",
            needs=(Fact.HYDROCEPHALUS,),
            check=coded(
                Fact.HYDROCEPHALUS,
                fires={
                    Hydrocephalus.SHUNTED: Reason.HYDROCEPHALUS_PRESENT,
                    Hydrocephalus.UNTREATED: Reason.HYDROCEPHALUS_PRESENT,
                },
                passed=Reason.NO_HYDROCEPHALUS,
            ),
        ),
        Rule(
            id="cognition-goal-with-severe-intellectual-disability",
            checks="Not both severe intellectual disability and cognition among the goals.",
            fires_as=Verdict.EXCLUDE,
            citation=SEED_CLINIC,
            needs=(Fact.INTELLECTUAL_DISABILITY, Fact.GOALS),
            check=_cognition_goal,
        ),
        Rule(
            id="autism-without-motor-disorder",
            checks="Not autism without a motor disorder.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (autism without motor disability)",
            needs=(Fact.AUTISM_WITHOUT_MOTOR_DISORDER,),
            check=flag(
                Fact.AUTISM_WITHOUT_MOTOR_DISORDER,
                fired=Reason.AUTISM_WITHOUT_MOTOR_DISORDER,
                passed=Reason.NO_AUTISM_WITHOUT_MOTOR_DISORDER,
            ),
        ),
        Rule(
            id="progressive-or-genetic-disorder",
            checks="No progressive or genetic disorder.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (progressive disease; genetic condition)",
            needs=(Fact.PROGRESSIVE_OR_GENETIC_DISORDER,),
            check=flag(
                Fact.PROGRESSIVE_OR_GENETIC_DISORDER,
                fired=Reason.PROGRESSIVE_OR_GENETIC_DISORDER,
                passed=Reason.NO_PROGRESSIVE_OR_GENETIC_DISORDER,
            ),
        ),
        Rule(
            id="brain-malformation",
            checks="No brain malformation (reported, or seen on MRI).",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (brain malformation)",
            needs=(Fact.BRAIN_MALFORMATION, Fact.MRI_FINDINGS),
            check=_brain_malformation,
        ),
        Rule(
            id="prior-cell-therapy",
            checks="No cell therapy before.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (prior cell therapy)",
            needs=(Fact.PRIOR_CELL_THERAPY,),
            check=flag(
                Fact.PRIOR_CELL_THERAPY,
                fired=Reason.PRIOR_CELL_THERAPY,
                passed=Reason.NO_PRIOR_CELL_THERAPY,
            ),
        ),
        Rule(
            id="recent-botulinum-toxin",
            checks=f"No botulinum toxin in the last {TREATMENT_INTERVAL_MONTHS:g} months.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (botulinum toxin within 3 months)",
            needs=(Fact.MONTHS_SINCE_BOTULINUM_TOXIN,),
            check=within_months(
                Fact.MONTHS_SINCE_BOTULINUM_TOXIN,
                TREATMENT_INTERVAL_MONTHS,
                recent=Reason.BOTULINUM_TOXIN_RECENT,
                not_recent=Reason.BOTULINUM_TOXIN_NOT_RECENT,
                never=Reason.NO_BOTULINUM_TOXIN,
            ),
        ),
        Rule(
            id="recent-orthopaedic-surgery",
            checks=f"No orthopaedic surgery in the last {TREATMENT_INTERVAL_MONTHS:g} months.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{TRIAL_EXCLUSIONS} (surgery within 3 months)",
            needs=(Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,),
            check=within_months(
                Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,
                TREATMENT_INTERVAL_MONTHS,
                recent=Reason.ORTHOPAEDIC_SURGERY_RECENT,
                not_recent=Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT,
                never=Reason.NO_ORTHOPAEDIC_SURGERY,
            ),
        ),
    ),
)
