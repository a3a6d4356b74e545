"""Rule set ``sdr-v2``: candidacy for selective dorsal rhizotomy (SDR). Released; never edit.

Sources (``../shared/clinical-reference.md``, "SDR (verified)" and "Hip surveillance x-rays"):

- NICE CG145 (2012), recommendation 117: consider SDR to improve walking in children with
  spasticity at GMFCS level II or III. Its research recommendation 25 lists criteria to
  include (ages 3–9, GMFCS II–III, tone that is pure spasticity, good leg muscle strength,
  good selective motor control in the legs) and to exclude (tone predominantly dystonia,
  severe scoliosis, hip dislocation).
- St Louis Children's Hospital: age 2 or over, some independent mobility, no severe
  basal-ganglia damage.
- Alder Hey Children's Hospital: exclude under 2, significant scoliosis, progressive hip
  subluxation, mean leg strength below MRC 3 in walkers.
- CRC Ireland: age 4–10, hip migration below 33%, no previous multilevel surgery, PVL on
  MRI; basal-ganglia or cerebellar lesions exclude.
- Xiao's group (Shanghai): the "target muscles" of the operation are those graded
  Modified Ashworth 2 or more before it.
- CPUP hip programme (2015): hip migration above 33% calls for individual assessment.

What ``sdr-v1`` lacked and this version adds: spasticity in the legs (present, and at the
grade the operation targets), selective motor control in the legs, leg strength in children
who walk as an exclusion (Alder Hey), PVL on MRI, previous multilevel surgery; scoliosis
becomes an exclusion (NICE and Alder Hey both exclude it) and the hip limit is CRC Ireland's
33%. Every rule cites its sources; where the programme chose between centres or read a
centre's words, :attr:`Rule.policy` says so in plain words (programme policy, not a source).
"""

from __future__ import annotations

from typing import Final

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.checks import below, coded, flag, within_months
from stride.core.eligibility.facts import Dystonia, Fact, Facts, MriFinding, SelectiveControl
from stride.core.eligibility.model import PROGRAMME_POLICY, Finding, Rule, RuleSet, Unknown, Verdict
from stride.core.eligibility.reasons import Reason
from stride.core.pathway import Programme
from stride.core.scales.mas import MasGrade

NICE_117: Final = "NICE CG145 (2012), recommendation 117"
NICE_RR25: Final = "NICE CG145 (2012), research recommendation 25"
ST_LOUIS: Final = "St Louis Children's Hospital SDR criteria"
ALDER_HEY: Final = "Alder Hey Children's Hospital SDR criteria"
CRC_IRELAND: Final = "CRC Ireland SDR criteria"
XIAO: Final = "Xiao's group (Shanghai), SDR target muscles"
CPUP: Final = "CPUP hip surveillance programme (2015)"

#: Under this age (years) the child is excluded (Alder Hey: exclude under 2; St Louis: 2 or
#: over).
MINIMUM_AGE_YEARS: Final = 2.0
#: Usual age range (years, both ends included); outside it is a caution. NICE research
#: recommendation 25: 3–9; CRC Ireland: 4–10. Programme policy: 3 to 10.
TYPICAL_AGE_YEARS: Final = (3.0, 10.0)
#: GMFCS levels at which SDR is considered (NICE CG145 recommendation 117: II or III).
TYPICAL_GMFCS_LEVELS: Final = (2, 3)
#: GMFCS levels read as "walkers" for Alder Hey's strength criterion (programme policy:
#: levels I–III walk, with or without a hand-held mobility device).
WALKER_GMFCS_LEVELS: Final = (1, 2, 3)
#: Hip migration at or above this (percent) is a caution, hips first (CRC Ireland asks for
#: below 33%; CPUP: above 33% calls for individual assessment).
HIP_MIGRATION_LIMIT_PERCENT: Final = 33.0
#: Mean leg strength below this MRC grade (Alder Hey, in walkers).
MINIMUM_LEG_STRENGTH_MRC: Final = 3.0
#: The Modified Ashworth grade of the muscles the operation targets (Xiao's group).
TARGET_MAS_GRADE: Final = MasGrade.G2
#: Orthopaedic surgery fewer than this many months ago is a caution (programme policy, kept
#: from sdr-v1; no source on the reference list sets an interval).
ORTHOPAEDIC_SURGERY_INTERVAL_MONTHS: Final = 12.0

_ROMAN: Final = ("I", "II", "III", "IV", "V")
_DEEP_GREY_OR_CEREBELLAR = (MriFinding.BASAL_GANGLIA, MriFinding.CEREBELLAR)


def _age_typical_range(facts: Facts) -> Finding | Unknown:
    age = facts.age_years
    if age is None:
        return Unknown((Fact.AGE_YEARS,))
    lowest, highest = TYPICAL_AGE_YEARS
    parameters = {"age_years": age, "lowest_years": lowest, "highest_years": highest}
    if age < lowest:
        return Finding(True, Reason.AGE_BELOW_TYPICAL_RANGE, parameters)
    if age > highest:
        return Finding(True, Reason.AGE_ABOVE_TYPICAL_RANGE, parameters)
    return Finding(False, Reason.AGE_IN_TYPICAL_RANGE, parameters)


def _gmfcs_level(facts: Facts) -> Finding | Unknown:
    level = facts.gmfcs
    if level is None:
        return Unknown((Fact.GMFCS,))
    lowest, highest = TYPICAL_GMFCS_LEVELS
    parameters = {
        "gmfcs_level": _ROMAN[level - 1],
        "typical_levels": f"{_ROMAN[lowest - 1]}–{_ROMAN[highest - 1]}",
    }
    if lowest <= level <= highest:
        return Finding(False, Reason.GMFCS_TYPICAL_LEVEL, parameters)
    return Finding(True, Reason.GMFCS_OUTSIDE_TYPICAL_LEVELS, parameters)


def _leg_spasticity_present(facts: Facts) -> Finding | Unknown:
    grade = facts.leg_spasticity_mas
    if grade is None:
        return Unknown((Fact.LEG_SPASTICITY_MAS,))
    parameters = {"leg_spasticity_mas": grade.value}
    if grade is MasGrade.G0:
        return Finding(True, Reason.NO_LEG_SPASTICITY, parameters)
    return Finding(False, Reason.LEG_SPASTICITY_PRESENT, parameters)


def _leg_spasticity_target(facts: Facts) -> Finding | Unknown:
    grade = facts.leg_spasticity_mas
    if grade is None:
        return Unknown((Fact.LEG_SPASTICITY_MAS,))
    parameters = {"leg_spasticity_mas": grade.value, "target_grade": TARGET_MAS_GRADE.value}
    if grade.rank < TARGET_MAS_GRADE.rank:
        return Finding(True, Reason.LEG_SPASTICITY_BELOW_TARGET, parameters)
    return Finding(False, Reason.LEG_SPASTICITY_AT_TARGET, parameters)


def _walker_leg_strength(facts: Facts) -> Finding | Unknown:
    level, strength = facts.gmfcs, facts.leg_strength_mrc_mean
    if level is not None and level not in WALKER_GMFCS_LEVELS:
        # A child who does not walk is outside Alder Hey's criterion: strength is not needed.
        return Finding(False, Reason.NOT_A_WALKER, {"gmfcs_level": _ROMAN[level - 1]})
    if strength is not None and strength >= MINIMUM_LEG_STRENGTH_MRC:
        # Strong enough whether or not the child walks: the GMFCS level is not needed.
        return Finding(False, Reason.LEG_STRENGTH_AT_LEAST_MINIMUM, {
            "leg_strength_mrc_mean": strength, "minimum_mrc": MINIMUM_LEG_STRENGTH_MRC})
    if level is None or strength is None:
        return Unknown(tuple(fact for fact, value in ((Fact.GMFCS, level),
                                                      (Fact.LEG_STRENGTH_MRC_MEAN, strength))
                             if value is None))
    return Finding(True, Reason.WALKER_LEG_STRENGTH_BELOW_MINIMUM, {
        "gmfcs_level": _ROMAN[level - 1], "leg_strength_mrc_mean": strength,
        "minimum_mrc": MINIMUM_LEG_STRENGTH_MRC})


def _hip_migration(facts: Facts) -> Finding | Unknown:
    percent = facts.hip_migration_percent
    if percent is None:
        return Unknown((Fact.HIP_MIGRATION_PERCENT,))
    parameters = {"hip_migration_percent": percent, "limit_percent": HIP_MIGRATION_LIMIT_PERCENT}
    # CRC Ireland asks for migration *below* 33%: exactly 33% is not below it.
    if percent >= HIP_MIGRATION_LIMIT_PERCENT:
        return Finding(True, Reason.HIP_MIGRATION_AT_OR_ABOVE_LIMIT, parameters)
    return Finding(False, Reason.HIP_MIGRATION_BELOW_LIMIT, parameters)


def _mri_lesion(facts: Facts) -> Finding | Unknown:
    findings = facts.mri_findings
    if findings is None:
        return Unknown((Fact.MRI_FINDINGS,))
    lesions = tuple(lesion.value for lesion in _DEEP_GREY_OR_CEREBELLAR if lesion in findings)
    if lesions:
        return Finding(True, Reason.MRI_DEEP_GREY_OR_CEREBELLAR_LESION, {"lesions": lesions})
    return Finding(
        False,
        Reason.MRI_NO_DEEP_GREY_OR_CEREBELLAR_LESION,
        {"mri_findings": tuple(finding.value for finding in findings)},
    )


def _mri_pvl(facts: Facts) -> Finding | Unknown:
    findings = facts.mri_findings
    if findings is None:
        return Unknown((Fact.MRI_FINDINGS,))
    if MriFinding.PVL in findings:
        return Finding(False, Reason.MRI_PVL)
    return Finding(True, Reason.MRI_NO_PVL,
                   {"mri_findings": tuple(finding.value for finding in findings)})


RULE_SET: Final = RuleSet(
    name="sdr",
    version=2,
    title="Selective dorsal rhizotomy (SDR) candidacy, with spasticity and selective motor "
    "control",
    programme=Programme.SDR,
    sources=(NICE_117, NICE_RR25, ST_LOUIS, ALDER_HEY, CRC_IRELAND, XIAO, CPUP,
             PROGRAMME_POLICY),
    rules=(
        Rule(
            id="motor-subtype",
            checks="The predominant motor type is neither dyskinetic nor ataxic.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{NICE_117} (children with spasticity); {NICE_RR25} (tone that is pure "
            f"spasticity); {ST_LOUIS} (no severe basal-ganglia damage)",
            needs=(Fact.SCPE_SUBTYPE,),
            check=coded(
                Fact.SCPE_SUBTYPE,
                fires={
                    ScpeSubtype.DYSKINETIC_DYSTONIC: Reason.DYSKINETIC_SUBTYPE,
                    ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC: Reason.DYSKINETIC_SUBTYPE,
                    ScpeSubtype.ATAXIC: Reason.ATAXIC_SUBTYPE,
                },
                passed=Reason.SUBTYPE_NOT_DYSKINETIC_OR_ATAXIC,
            ),
        ),
        Rule(
            id="motor-subtype-classified",
            checks="The predominant motor type is classified (not non-classifiable).",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_117} (children with spasticity)",
            needs=(Fact.SCPE_SUBTYPE,),
            check=coded(
                Fact.SCPE_SUBTYPE,
                fires={ScpeSubtype.NON_CLASSIFIABLE: Reason.SUBTYPE_NON_CLASSIFIABLE},
                passed=Reason.SUBTYPE_CLASSIFIED,
            ),
            policy="A motor type not yet classified is a caution, not an exclusion: the team "
            "confirms that spasticity is the main problem.",
        ),
        Rule(
            id="dystonia-predominant",
            checks="Tone is not predominantly dystonia.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{NICE_RR25} (exclude tone predominantly dystonia)",
            needs=(Fact.DYSTONIA,),
            check=coded(
                Fact.DYSTONIA,
                fires={Dystonia.PREDOMINANT: Reason.DYSTONIA_PREDOMINANT},
                passed=Reason.DYSTONIA_NOT_PREDOMINANT,
            ),
        ),
        Rule(
            id="dystonia-present",
            checks="Tone is pure spasticity, without dystonia.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_RR25} (abnormal tone that is pure spasticity)",
            needs=(Fact.DYSTONIA,),
            check=coded(
                Fact.DYSTONIA,
                fires={
                    Dystonia.MILD: Reason.DYSTONIA_PRESENT,
                    Dystonia.PREDOMINANT: Reason.DYSTONIA_PRESENT,
                },
                passed=Reason.NO_DYSTONIA,
            ),
            policy="NICE lists pure spasticity among criteria for research; some dystonia "
            "alongside spasticity is a caution for the team, not an exclusion.",
        ),
        Rule(
            id="leg-spasticity",
            checks="At least one leg muscle shows increased tone (Modified Ashworth above 0).",
            fires_as=Verdict.EXCLUDE,
            citation=f"{NICE_117} (SDR for children with spasticity)",
            needs=(Fact.LEG_SPASTICITY_MAS,),
            check=_leg_spasticity_present,
        ),
        Rule(
            id="leg-spasticity-limits-function",
            checks="At least one leg muscle is graded Modified Ashworth "
            f"{TARGET_MAS_GRADE.value} or more.",
            fires_as=Verdict.CAUTION,
            citation=f"{XIAO} (target muscles graded Modified Ashworth 2 or more); {NICE_117} "
            "(spasticity)",
            needs=(Fact.LEG_SPASTICITY_MAS,),
            check=_leg_spasticity_target,
            policy="No centre on the reference list publishes a Modified Ashworth grade for "
            "choosing children; grade 2 is borrowed from Xiao's group, who operate on the "
            "muscles graded 2 or more, so a lower grade is a caution, not an exclusion.",
        ),
        Rule(
            id="selective-motor-control",
            checks="Selective motor control in the legs is judged good.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_RR25} (good selective motor control in the legs)",
            needs=(Fact.LEG_SELECTIVE_MOTOR_CONTROL,),
            check=coded(
                Fact.LEG_SELECTIVE_MOTOR_CONTROL,
                fires={
                    SelectiveControl.LIMITED: Reason.SELECTIVE_MOTOR_CONTROL_NOT_GOOD,
                    SelectiveControl.POOR: Reason.SELECTIVE_MOTOR_CONTROL_NOT_GOOD,
                },
                passed=Reason.SELECTIVE_MOTOR_CONTROL_GOOD,
            ),
            policy="NICE gives no scale or cut-off: the clinician's judgement recorded with "
            "the selective motor control assessment is used, and anything less than good is "
            "a caution, not an exclusion.",
        ),
        Rule(
            id="age-minimum",
            checks=f"Age is at least {MINIMUM_AGE_YEARS:g} years.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{ALDER_HEY} (exclude under 2); {ST_LOUIS} (age 2 or over)",
            needs=(Fact.AGE_YEARS,),
            check=below(
                Fact.AGE_YEARS,
                MINIMUM_AGE_YEARS,
                minimum_name="minimum_years",
                fired=Reason.AGE_BELOW_MINIMUM,
                passed=Reason.AGE_AT_LEAST_MINIMUM,
            ),
        ),
        Rule(
            id="age-typical-range",
            checks=f"Age is from {TYPICAL_AGE_YEARS[0]:g} to {TYPICAL_AGE_YEARS[1]:g} years.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_RR25} (ages 3–9); {CRC_IRELAND} (ages 4–10)",
            needs=(Fact.AGE_YEARS,),
            check=_age_typical_range,
            policy="Centres differ: the usual range runs from NICE's youngest age (3) to CRC "
            "Ireland's oldest (10), and an age outside it is a caution.",
        ),
        Rule(
            id="gmfcs-level",
            checks="GMFCS level is II or III.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_117} (GMFCS level II or III); {ST_LOUIS} (some independent "
            "mobility)",
            needs=(Fact.GMFCS,),
            check=_gmfcs_level,
            policy="St Louis asks only for some independent mobility, so another level is a "
            "caution, not an exclusion.",
        ),
        Rule(
            id="leg-strength-walker",
            checks=f"A child who walks (GMFCS I–III) has mean leg strength of at least MRC "
            f"{MINIMUM_LEG_STRENGTH_MRC:g}.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{ALDER_HEY} (mean leg strength below MRC 3 in walkers excludes)",
            needs=(Fact.GMFCS, Fact.LEG_STRENGTH_MRC_MEAN),
            check=_walker_leg_strength,
            policy="Alder Hey's 'walkers' are read as GMFCS levels I–III (children who walk, "
            "with or without a hand-held mobility device).",
        ),
        Rule(
            id="leg-strength",
            checks=f"Mean leg strength is at least MRC {MINIMUM_LEG_STRENGTH_MRC:g}.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE_RR25} (good leg muscle strength); {ALDER_HEY} (MRC 3)",
            needs=(Fact.LEG_STRENGTH_MRC_MEAN,),
            check=below(
                Fact.LEG_STRENGTH_MRC_MEAN,
                MINIMUM_LEG_STRENGTH_MRC,
                minimum_name="minimum_mrc",
                fired=Reason.LEG_STRENGTH_BELOW_MINIMUM,
                passed=Reason.LEG_STRENGTH_AT_LEAST_MINIMUM,
            ),
            policy="NICE gives no number for good leg strength; Alder Hey's MRC 3 is used for "
            "every child, as a caution.",
        ),
        Rule(
            id="hip-migration",
            checks=f"Hip migration is below {HIP_MIGRATION_LIMIT_PERCENT:g}% (hips first).",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (hip migration below 33%); {CPUP} (above 33%: individual "
            f"assessment); {ALDER_HEY} (progressive hip subluxation); {NICE_RR25} (hip "
            "dislocation)",
            needs=(Fact.HIP_MIGRATION_PERCENT,),
            check=_hip_migration,
            policy="Centres differ: CRC Ireland's limit of 33% is used, as a caution, since "
            "NICE and Alder Hey exclude only a dislocated or progressively subluxing hip.",
        ),
        Rule(
            id="scoliosis",
            checks="There is no significant scoliosis.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{ALDER_HEY} (significant scoliosis excludes); {NICE_RR25} (severe "
            "scoliosis excludes)",
            needs=(Fact.SIGNIFICANT_SCOLIOSIS,),
            check=flag(
                Fact.SIGNIFICANT_SCOLIOSIS,
                fired=Reason.SIGNIFICANT_SCOLIOSIS,
                passed=Reason.NO_SIGNIFICANT_SCOLIOSIS,
            ),
            policy="The recorded fact is Alder Hey's 'significant' scoliosis; NICE's word is "
            "'severe'. Both centres exclude it.",
        ),
        Rule(
            id="mri-deep-grey-or-cerebellar",
            checks="MRI shows no basal-ganglia or cerebellar lesion.",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (basal-ganglia or cerebellar lesions exclude); "
            f"{ST_LOUIS} (no severe basal-ganglia damage)",
            needs=(Fact.MRI_FINDINGS,),
            check=_mri_lesion,
            policy="Centres differ: CRC Ireland excludes any such lesion, St Louis only severe "
            "basal-ganglia damage, so a lesion is a caution for the team.",
        ),
        Rule(
            id="mri-pvl",
            checks="MRI shows periventricular leukomalacia (PVL).",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (PVL on MRI)",
            needs=(Fact.MRI_FINDINGS,),
            check=_mri_pvl,
            policy="Only CRC Ireland asks for PVL on MRI, so its absence is a caution, not an "
            "exclusion.",
        ),
        Rule(
            id="previous-multilevel-surgery",
            checks="No multilevel orthopaedic surgery before.",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (no previous multilevel surgery)",
            needs=(Fact.PREVIOUS_MULTILEVEL_SURGERY,),
            check=flag(
                Fact.PREVIOUS_MULTILEVEL_SURGERY,
                fired=Reason.PREVIOUS_MULTILEVEL_SURGERY,
                passed=Reason.NO_PREVIOUS_MULTILEVEL_SURGERY,
            ),
            policy="Only CRC Ireland names previous multilevel surgery, so it is a caution, "
            "not an exclusion.",
        ),
        Rule(
            id="recent-orthopaedic-surgery",
            checks=f"No orthopaedic surgery in the last "
            f"{ORTHOPAEDIC_SURGERY_INTERVAL_MONTHS:g} months.",
            fires_as=Verdict.CAUTION,
            citation=PROGRAMME_POLICY,
            needs=(Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,),
            check=within_months(
                Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,
                ORTHOPAEDIC_SURGERY_INTERVAL_MONTHS,
                recent=Reason.ORTHOPAEDIC_SURGERY_RECENT,
                not_recent=Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT,
                never=Reason.NO_ORTHOPAEDIC_SURGERY,
            ),
            policy="The 12-month interval is the Stride programmes' own choice, kept from "
            "sdr-v1: no source on the reference list sets an interval after orthopaedic "
            "surgery.",
        ),
    ),
)
