"""Shared parts of the instruments: levels I–V, sides, muscles, age at assessment, parsers.

Every instrument module builds its value objects from these, so every bad value is refused
the same way: an :class:`~stride.core.errors.InvalidValue` naming the field, the value
received and what is allowed. The ``parse_*`` functions accept plain JSON-like values
(``str``, ``int``, ``float``, ``None``) as they come from a file or a web form; the value
objects' constructors accept the typed values and re-check their invariants.

Ages follow the birthday convention of the GMFCS-E&R bands: "2–4 years" means from the
2nd birthday up to (not including) the 4th birthday. Ages are therefore compared in
completed calendar months (:func:`stride.core.ages.completed_months`), which is exact at
birthdays, never in fractional years.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from typing import TypeVar

from stride.core.ages import completed_months
from stride.core.errors import InvalidValue

E = TypeVar("E", bound=StrEnum)

#: Days per year used to express an age as fractional years (the Julian year), for
#: reference curves. Band and validity decisions never use it: they use calendar months.
DAYS_PER_YEAR = 365.25
#: Days per month for intervals in months (a twelfth of that year), so that a month is
#: the same length for every child whatever the calendar.
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

_ROMAN = ("I", "II", "III", "IV", "V")


class Level(IntEnum):
    """A level I–V of a five-level classification (GMFCS, MACS, CFCS, EDACS).

    The value is the stored number 1–5; :attr:`roman` is the usual display form. Only the
    number and a neutral label are shown: the descriptor texts are copyrighted.
    """

    I = 1  # noqa: E741 (the clinical name of level one)
    II = 2
    III = 3
    IV = 4
    V = 5

    @property
    def roman(self) -> str:
        """Return the level as a Roman numeral, e.g. ``"III"``."""
        return _ROMAN[self.value - 1]


LEVEL_ALLOWED = "1, 2, 3, 4, 5 (levels I–V)"


class Muscle(StrEnum):
    """Muscle groups measured for tone (Modified Ashworth, Modified Tardieu).

    The value is the stored code. The list holds the groups assessed before SDR and in
    upper-limb clinics; a new group is added here, never typed free-hand, so that
    measurements of the same muscle compare.
    """

    HIP_ADDUCTORS = "hip-adductors"
    HIP_FLEXORS = "hip-flexors"
    HIP_INTERNAL_ROTATORS = "hip-internal-rotators"
    HAMSTRINGS = "hamstrings"
    RECTUS_FEMORIS = "rectus-femoris"
    QUADRICEPS = "quadriceps"
    GASTROCNEMIUS = "gastrocnemius"
    SOLEUS = "soleus"
    TIBIALIS_POSTERIOR = "tibialis-posterior"
    SHOULDER_ADDUCTORS = "shoulder-adductors"
    ELBOW_FLEXORS = "elbow-flexors"
    FOREARM_PRONATORS = "forearm-pronators"
    WRIST_FLEXORS = "wrist-flexors"
    FINGER_FLEXORS = "finger-flexors"


# --------------------------------------------------------------------------- parsers


def _is_integer(value: object) -> bool:
    # bool is a subclass of int, but True is never a score.
    return isinstance(value, int) and not isinstance(value, bool)


def parse_int(value: object, *, field: str, low: int, high: int, allowed: str) -> int:
    """Return ``value`` as an integer in ``low..high`` (inclusive).

    Accepts an ``int`` or a string of digits (as a web form sends it). Floats, booleans,
    ``None`` and anything else are refused.

    Raises
    ------
    InvalidValue
        Naming ``field`` and ``allowed`` when the value is not such an integer.
    """
    number: int | None = None
    if _is_integer(value):
        number = value  # type: ignore[assignment]
    elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        number = int(value.strip())
    if number is None or not low <= number <= high:
        raise InvalidValue(field, value, allowed)
    return number


def parse_float(
    value: object,
    *,
    field: str,
    allowed: str,
    low: float | None = None,
    high: float | None = None,
) -> float:
    """Return ``value`` as a finite float within ``[low, high]`` (each bound optional).

    Accepts ``int``, ``float`` or a numeric string; refuses booleans, ``None``, NaN and
    infinities.

    Raises
    ------
    InvalidValue
        Naming ``field`` and ``allowed``.
    """
    number: float | None = None
    if _is_integer(value) or isinstance(value, float):
        number = float(value)  # type: ignore[arg-type]
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if (
        number is None
        or not math.isfinite(number)
        or (low is not None and number < low)
        or (high is not None and number > high)
    ):
        raise InvalidValue(field, value, allowed)
    return number


def parse_choice(enum: type[E], value: object, *, field: str, upper: bool = False) -> E:
    """Return the member of the string enum ``enum`` whose code is ``value``.

    An integer is read as its digits (JSON ``2`` for the code ``"2"``); surrounding spaces
    are ignored, and with ``upper`` so is letter case.

    Raises
    ------
    InvalidValue
        Naming ``field`` and listing every code of ``enum``.
    """
    code = str(value) if _is_integer(value) else value
    if isinstance(code, str):
        code = code.strip().upper() if upper else code.strip()
        if code in enum._value2member_map_:
            return enum(code)
    raise InvalidValue(field, value, [member.value for member in enum])


def parse_level(value: object, *, field: str) -> Level:
    """Return the :class:`Level` for ``1``–``5``, ``"1"``–``"5"`` or ``"I"``–``"V"``.

    Raises
    ------
    InvalidValue
        For anything else (``6``, ``0``, ``"VI"``, ``None``), listing levels 1–5.
    """
    if isinstance(value, str) and value.strip().upper() in _ROMAN:
        return Level(_ROMAN.index(value.strip().upper()) + 1)
    return Level(parse_int(value, field=field, low=1, high=5, allowed=LEVEL_ALLOWED))


def parse_date(value: object, *, field: str) -> date:
    """Return ``value`` as a :class:`~datetime.date` (a date or an ISO ``YYYY-MM-DD`` text).

    Raises
    ------
    InvalidValue
        For anything else, including a date-time (an assessment is dated, not timed).
    """
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidValue(field, value, "a date as YYYY-MM-DD")


def get_field(data: Mapping[str, object], key: str, *, prefix: str = "") -> object:
    """Return ``data[key]``; a missing key is an error, never a silent default.

    Raises
    ------
    InvalidValue
        If ``data`` is not a mapping or ``key`` is absent (field ``prefix + key``).
    """
    field = f"{prefix}{key}"
    if not isinstance(data, Mapping):
        raise InvalidValue(prefix.rstrip(".") or "value", data, "a JSON object")
    if key not in data:
        raise InvalidValue(field, "(missing)", f"a value for {field!r}; it is required")
    return data[key]


# --------------------------------------------------------------------------- ages


def describe_months(months: int) -> str:
    """Return an age in months as words, e.g. ``"2 years 3 months"``."""
    years, rest = divmod(months, 12)
    return f"{years} years {rest} months"


@dataclass(frozen=True, slots=True)
class AgeAtAssessment:
    """A child's age on the day of an assessment.

    Parameters
    ----------
    date_of_birth
        The child's date of birth.
    assessed_on
        The day of the assessment; not before ``date_of_birth``.

    Raises
    ------
    InvalidValue
        If the assessment date is before the date of birth.
    """

    date_of_birth: date
    assessed_on: date

    def __post_init__(self) -> None:
        if self.assessed_on < self.date_of_birth:
            raise InvalidValue(
                "assessed_on",
                self.assessed_on.isoformat(),
                f"a date on or after the date of birth {self.date_of_birth.isoformat()}",
            )

    @property
    def days(self) -> int:
        """Age in whole days."""
        return (self.assessed_on - self.date_of_birth).days

    @property
    def months(self) -> int:
        """Age in completed calendar months (used for every band and validity check)."""
        return completed_months(self.date_of_birth, self.assessed_on)

    @property
    def years(self) -> float:
        """Age in fractional years (days ÷ 365.25), as reference curves take it."""
        return self.days / DAYS_PER_YEAR

    def __str__(self) -> str:
        return describe_months(self.months)

    def to_json(self) -> dict[str, str]:
        """Return the two dates as ISO texts (keys ``date_of_birth``, ``assessed_on``)."""
        return {
            "date_of_birth": self.date_of_birth.isoformat(),
            "assessed_on": self.assessed_on.isoformat(),
        }


def parse_age(data: Mapping[str, object], *, prefix: str = "") -> AgeAtAssessment:
    """Return the :class:`AgeAtAssessment` from ``date_of_birth`` and ``assessed_on`` keys."""
    return AgeAtAssessment(
        date_of_birth=parse_date(
            get_field(data, "date_of_birth", prefix=prefix), field=f"{prefix}date_of_birth"
        ),
        assessed_on=parse_date(
            get_field(data, "assessed_on", prefix=prefix), field=f"{prefix}assessed_on"
        ),
    )


@dataclass(frozen=True, slots=True)
class AgeWindow:
    """The ages an instrument is valid for: from ``min_months`` up to ``max_months``.

    ``max_months`` is exclusive (the birthday on which the instrument stops applying);
    ``None`` means no upper limit.
    """

    min_months: int
    max_months: int | None

    def contains(self, months: int) -> bool:
        """Return whether an age in completed months lies in the window."""
        return months >= self.min_months and (self.max_months is None or months < self.max_months)

    def describe(self) -> str:
        """Return the window in words, e.g. ``"from 4 years up to 18 years"``."""
        start = _describe_age_bound(self.min_months)
        if self.max_months is None:
            return f"from {start} on"
        return f"from {start} up to {_describe_age_bound(self.max_months)}"


def _describe_age_bound(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest:
        return f"{months} months"
    return "1 year" if years == 1 else f"{years} years"


def check_age_window(
    age: AgeAtAssessment, window: AgeWindow, *, instrument: str, hint: str = ""
) -> None:
    """Refuse an assessment with ``instrument`` at an age outside ``window``.

    Raises
    ------
    InvalidValue
        Field ``age_at_assessment``, naming the instrument's valid ages and ``hint`` (for
        example which sibling instrument to use instead).
    """
    if not window.contains(age.months):
        allowed = f"{window.describe()} for {instrument}"
        raise InvalidValue("age_at_assessment", str(age), f"{allowed}{'; ' + hint if hint else ''}")
