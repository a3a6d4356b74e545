"""Modified Tardieu Scale: catch angle and quality of the reaction, per muscle and side.

Source: Boyd RN, Graham HK. Objective measurement of clinical findings in the use of
botulinum toxin type A for the management of children with cerebral palsy. Eur J Neurol
1999;6(Suppl 4):S23–S35. R1 is the angle of catch in a fast stretch, R2 the passive range
in a slow stretch, both in degrees of joint angle measured in the direction of the stretch;
the quality of the muscle reaction is graded 0–5 (issue 3). R2 − R1 (the "dynamic
component") is derived, never entered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stride.core.anatomy import Side
from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.scales.common import Muscle, get_field, parse_choice, parse_float, parse_int

CITATION = Citation(
    short="Boyd & Graham 1999 (Modified Tardieu)",
    full="Boyd RN, Graham HK. Objective measurement of clinical findings in the use of "
    "botulinum toxin type A for the management of children with cerebral palsy. Eur J "
    "Neurol 1999;6(Suppl 4):S23–S35.",
    status=Status.VERIFIED,
)

#: A joint angle cannot exceed a half turn either way; this is geometry, not a norm.
_ANGLE_LIMIT_DEG = 180.0
_ANGLE_ALLOWED = "a joint angle in degrees from -180 to 180"
QUALITY_ALLOWED = "0, 1, 2, 3, 4, 5"


@dataclass(frozen=True, slots=True)
class TardieuMeasurement:
    """A Modified Tardieu measurement of one muscle group on one side.

    Parameters
    ----------
    muscle, side
        What was measured.
    r1_deg
        Angle of catch in a fast stretch, degrees.
    r2_deg
        Passive range of motion in a slow stretch, degrees; not less than ``r1_deg`` (the
        catch happens within the range).
    quality
        Quality of the muscle reaction, 0–5.

    Raises
    ------
    InvalidValue
        For an angle outside ±180°, a quality outside 0–5, or R1 beyond R2.
    """

    muscle: Muscle
    side: Side
    r1_deg: float
    r2_deg: float
    quality: int

    def __post_init__(self) -> None:
        for field in ("r1_deg", "r2_deg"):
            parse_float(
                getattr(self, field),
                field=field,
                allowed=_ANGLE_ALLOWED,
                low=-_ANGLE_LIMIT_DEG,
                high=_ANGLE_LIMIT_DEG,
            )
        parse_int(self.quality, field="quality", low=0, high=5, allowed=QUALITY_ALLOWED)
        if self.r1_deg > self.r2_deg:
            raise InvalidValue(
                "r1_deg",
                self.r1_deg,
                f"an angle of catch not beyond R2 = {self.r2_deg}° (the catch lies within "
                "the passive range; check that both angles use the same direction)",
            )

    @property
    def r2_minus_r1_deg(self) -> float:
        """The dynamic component R2 − R1, degrees (0 when there is no catch before R2)."""
        return self.r2_deg - self.r1_deg

    def to_json(self) -> dict[str, object]:
        """Return ``{"muscle", "side", "r1_deg", "r2_deg", "quality"}`` (inputs only)."""
        return {
            "muscle": self.muscle.value,
            "side": self.side.value,
            "r1_deg": self.r1_deg,
            "r2_deg": self.r2_deg,
            "quality": self.quality,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TardieuMeasurement:
        """Parse the :meth:`to_json` form."""
        return cls(
            muscle=parse_choice(Muscle, get_field(data, "muscle"), field="muscle"),
            side=parse_choice(Side, get_field(data, "side"), field="side"),
            r1_deg=parse_float(get_field(data, "r1_deg"), field="r1_deg", allowed=_ANGLE_ALLOWED),
            r2_deg=parse_float(get_field(data, "r2_deg"), field="r2_deg", allowed=_ANGLE_ALLOWED),
            quality=parse_int(
                get_field(data, "quality"), field="quality", low=0, high=5, allowed=QUALITY_ALLOWED
            ),
        )
