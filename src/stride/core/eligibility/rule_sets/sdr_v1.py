"""Rule set ``sdr-v1``: candidacy for selective dorsal rhizotomy (SDR). Released; never edit.

Drawn from published centre criteria (``../shared/clinical-reference.md``, "SDR",
verified), as the programme first set them out:

- NICE IPG373: GMFCS II–III, ages 3–9 in research, exclude predominant dystonia, severe
  scoliosis, hip dislocation.
- St Louis Children's Hospital: age 2 or over, some independent mobility, no severe
  basal-ganglia damage.
- Alder Hey Children's Hospital: exclude under 2, significant scoliosis, progressive hip
  subluxation, mean leg strength below MRC 3 in walkers.
- CRC Ireland: age 4–10, hip migration below 33%, no previous multilevel surgery; PVL on
  MRI; basal-ganglia or cerebellar lesions exclude.

Where the centres agree that SDR does not help (a motor type other than spasticity,
predominant dystonia, a child under 2) the rule excludes. Where they differ, the rule is a
caution: the team looks at it. A change to any rule or threshold is a new version
(``sdr_v2``); this module stays as it is so stored decisions can be re-run.
"""

from __future__ import annotations

from typing import Final

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.checks import above, below, coded, flag, within_months
from stride.core.eligibility.facts import Dystonia, Fact, Facts, MriFinding
from stride.core.eligibility.model import Finding, Rule, RuleSet, Unknown, Verdict
from stride.core.eligibility.reasons import Reason
from stride.core.pathway import Programme

NICE: Final = "NICE IPG373 (2010)"
ST_LOUIS: Final = "St Louis Children's Hospital SDR criteria"
ALDER_HEY: Final = "Alder Hey Children's Hospital SDR criteria"
CRC_IRELAND: Final = "CRC Ireland SDR criteria"
# Erratum (issue 17): this label once named a Stride issue as if it were a source. Only the
# label changed, never a rule, threshold or reason, so every stored decision re-runs the same.
ISSUE_4: Final = "Programme policy (Stride's own threshold where centres differ)"

#: Under this age (years) the child is excluded: Alder Hey excludes under 2; St Louis
#: requires age 2 or over.
MINIMUM_AGE_YEARS: Final = 2.0
#: Usual age range (years, both ends included); outside it is a caution. Centres differ:
#: NICE 3–9 (research), CRC Ireland 4–10; programme policy sets 3 to 10.
TYPICAL_AGE_YEARS: Final = (3.0, 10.0)
#: GMFCS levels at which SDR is usually offered (NICE IPG373: II–III); others are a caution.
TYPICAL_GMFCS_LEVELS: Final = (2, 3)
#: Hip migration above this (percent) is a caution, hips first. Programme policy sets 40%;
#: CRC Ireland asks for below 33%, Alder Hey for no progressive subluxation.
HIP_MIGRATION_LIMIT_PERCENT: Final = 40.0
#: Mean leg strength below this MRC grade is a caution (Alder Hey, in walkers).
MINIMUM_LEG_STRENGTH_MRC: Final = 3.0
#: Orthopaedic surgery fewer than this many months ago is a caution (programme policy; CRC
#: Ireland: no previous multilevel surgery).
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


RULE_SET: Final = RuleSet(
    name="sdr",
    version=1,
    title="Selective dorsal rhizotomy (SDR) candidacy",
    programme=Programme.SDR,
    sources=(NICE, ST_LOUIS, ALDER_HEY, CRC_IRELAND, ISSUE_4),
    rules=(
        Rule(
            id="motor-subtype",
            checks="The predominant motor type is neither dyskinetic nor ataxic.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{NICE} (predominant dystonia excluded); {ST_LOUIS} (no severe "
            f"basal-ganglia damage); {CRC_IRELAND} (basal-ganglia or cerebellar lesions "
            "exclude)",
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
            citation=f"{NICE}; {ST_LOUIS}; {ALDER_HEY}; {CRC_IRELAND} (all select spastic CP)",
            needs=(Fact.SCPE_SUBTYPE,),
            check=coded(
                Fact.SCPE_SUBTYPE,
                fires={ScpeSubtype.NON_CLASSIFIABLE: Reason.SUBTYPE_NON_CLASSIFIABLE},
                passed=Reason.SUBTYPE_CLASSIFIED,
            ),
        ),
        Rule(
            id="dystonia-predominant",
            checks="Dystonia is not predominant.",
            fires_as=Verdict.EXCLUDE,
            citation=f"{NICE} (predominant dystonia excluded)",
            needs=(Fact.DYSTONIA,),
            check=coded(
                Fact.DYSTONIA,
                fires={Dystonia.PREDOMINANT: Reason.DYSTONIA_PREDOMINANT},
                passed=Reason.DYSTONIA_NOT_PREDOMINANT,
            ),
        ),
        Rule(
            id="dystonia-present",
            checks="There is no dystonia (mild dystonia is for the team to weigh).",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE} (excludes only predominant dystonia; milder dystonia is not "
            "addressed)",
            needs=(Fact.DYSTONIA,),
            check=coded(
                Fact.DYSTONIA,
                fires={
                    Dystonia.MILD: Reason.DYSTONIA_PRESENT,
                    Dystonia.PREDOMINANT: Reason.DYSTONIA_PRESENT,
                },
                passed=Reason.NO_DYSTONIA,
            ),
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
            citation=f"{NICE} (ages 3–9 in research); {CRC_IRELAND} (ages 4–10); {ISSUE_4}",
            needs=(Fact.AGE_YEARS,),
            check=_age_typical_range,
        ),
        Rule(
            id="gmfcs-level",
            checks="GMFCS level is II or III.",
            fires_as=Verdict.CAUTION,
            citation=f"{NICE} (GMFCS II–III); {ST_LOUIS} (some independent mobility)",
            needs=(Fact.GMFCS,),
            check=_gmfcs_level,
        ),
        Rule(
            id="hip-migration",
            checks=f"Hip migration is at most {HIP_MIGRATION_LIMIT_PERCENT:g}% (hips first).",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (hip migration below 33%); {ALDER_HEY} (progressive hip "
            f"subluxation); {NICE} (hip dislocation); {ISSUE_4}",
            needs=(Fact.HIP_MIGRATION_PERCENT,),
            check=above(
                Fact.HIP_MIGRATION_PERCENT,
                HIP_MIGRATION_LIMIT_PERCENT,
                limit_name="limit_percent",
                fired=Reason.HIP_MIGRATION_ABOVE_LIMIT,
                passed=Reason.HIP_MIGRATION_WITHIN_LIMIT,
            ),
        ),
        Rule(
            id="scoliosis",
            checks="There is no significant scoliosis.",
            fires_as=Verdict.CAUTION,
            citation=f"{ALDER_HEY} (significant scoliosis); {NICE} (severe scoliosis)",
            needs=(Fact.SIGNIFICANT_SCOLIOSIS,),
            check=flag(
                Fact.SIGNIFICANT_SCOLIOSIS,
                fired=Reason.SIGNIFICANT_SCOLIOSIS,
                passed=Reason.NO_SIGNIFICANT_SCOLIOSIS,
            ),
        ),
        Rule(
            id="leg-strength",
            checks=f"Mean leg strength is at least MRC {MINIMUM_LEG_STRENGTH_MRC:g}.",
            fires_as=Verdict.CAUTION,
            citation=f"{ALDER_HEY} (mean leg strength below MRC 3 in walkers)",
            needs=(Fact.LEG_STRENGTH_MRC_MEAN,),
            check=below(
                Fact.LEG_STRENGTH_MRC_MEAN,
                MINIMUM_LEG_STRENGTH_MRC,
                minimum_name="minimum_mrc",
                fired=Reason.LEG_STRENGTH_BELOW_MINIMUM,
                passed=Reason.LEG_STRENGTH_AT_LEAST_MINIMUM,
            ),
        ),
        Rule(
            id="mri-deep-grey-or-cerebellar",
            checks="MRI shows no basal-ganglia or cerebellar lesion.",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (basal-ganglia or cerebellar lesions exclude); "
            f"{ST_LOUIS} (no severe basal-ganglia damage)",
            needs=(Fact.MRI_FINDINGS,),
            check=_mri_lesion,
        ),
        Rule(
            id="recent-orthopaedic-surgery",
            checks=f"No orthopaedic surgery in the last "
            f"{ORTHOPAEDIC_SURGERY_INTERVAL_MONTHS:g} months.",
            fires_as=Verdict.CAUTION,
            citation=f"{CRC_IRELAND} (no previous multilevel surgery); {ISSUE_4}",
            needs=(Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,),
            check=within_months(
                Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY,
                ORTHOPAEDIC_SURGERY_INTERVAL_MONTHS,
                recent=Reason.ORTHOPAEDIC_SURGERY_RECENT,
                not_recent=Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT,
                never=Reason.NO_ORTHOPAEDIC_SURGERY,
            ),
        ),
    ),
)
