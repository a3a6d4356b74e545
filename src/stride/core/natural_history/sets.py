"""The reference sets Stride knows, with their citations and status.

Only sets whose constants are verified on ``clinical-reference.md`` carry curves. A set
named there whose constants are pending is listed without curves, so its absence is
visible in ``stride references``, and it can never be used for computation.
"""

from __future__ import annotations

from types import MappingProxyType

from stride.core.citation import Citation, Status
from stride.core.natural_history.model import ReferenceSet, StableLimitCurve
from stride.core.scales.common import Level

#: Curves are accepted up to the 18th birthday, where GMFCS-E&R (the level the curves are
#: indexed by) ends. The age range of each source cohort is not on the reference page.
_MAX_AGE_YEARS = 18.0

SHANGHAI_2012_V1 = ReferenceSet(
    name="shanghai-2012",
    version=1,
    citation=Citation(
        short="Shi et al. 2012 (Shanghai)",
        full="Shi et al., 2012, doi:10.3969/j.issn.1673-5501.2012.04.002 (stable-limit "
        "GMFM-66 curves by GMFCS level, children with cerebral palsy in Shanghai).",
        status=Status.VERIFIED,
    ),
    # Limit (GMFM-66 points) and age-90 (years) per GMFCS level, clinical-reference.md.
    curves=MappingProxyType(
        {
            Level.I: StableLimitCurve(limit=81.2, age90_years=3.8),
            Level.II: StableLimitCurve(limit=62.4, age90_years=2.7),
            Level.III: StableLimitCurve(limit=52.9, age90_years=2.1),
            Level.IV: StableLimitCurve(limit=40.8, age90_years=2.0),
            Level.V: StableLimitCurve(limit=24.4, age90_years=1.5),
        }
    ),
    max_age_years=_MAX_AGE_YEARS,
    notes="Stable-limit model, parametrised by limit and age-90 (the two-parameter form "
    "limit × (1 − exp(−ln 10 × age / age-90))). Does not model the decline after about "
    "7 years at levels III–V (Hanna 2009), so expected change at those ages is 0 or more.",
)

ROSENBAUM_2002_PENDING = ReferenceSet(
    name="rosenbaum-2002",
    version=1,
    citation=Citation(
        short="Rosenbaum et al. 2002 (Ontario)",
        full="Rosenbaum PL, Walter SD, Hanna SE, et al. Prognosis for gross motor function in "
        "cerebral palsy: creation of motor development curves. JAMA 2002;288:1357–1363.",
        status=Status.PENDING,
    ),
    curves=None,
    max_age_years=_MAX_AGE_YEARS,
    notes="Pending: the limits are not verified (only the age-90 values, from a secondary "
    "source), so the curves cannot be drawn. Not usable for computation.",
)

#: Every set, every version, keyed by (name, version). Never edit an entry: add a version.
ALL_SETS: MappingProxyType[tuple[str, int], ReferenceSet] = MappingProxyType(
    {(s.name, s.version): s for s in (SHANGHAI_2012_V1, ROSENBAUM_2002_PENDING)}
)

#: The set used when none is named.
DEFAULT_REFERENCE = "shanghai-2012"
