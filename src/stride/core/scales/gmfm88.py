"""GMFM-88: Gross Motor Function Measure, 88 items in five dimensions.

Source: GMFM score sheet and CanChild scoring guidance (Russell DJ, Rosenbaum PL, Wright M,
Avery LM. Gross Motor Function Measure (GMFM-66 & GMFM-88) User's Manual. Mac Keith
Press), as summarised in ``clinical-reference.md`` (verified):

====  ==============================  =======  =======
dim   name                            items    max raw
====  ==============================  =======  =======
A     lying and rolling               1–17     51
B     sitting                         18–37    60
C     crawling and kneeling           38–51    42
D     standing                        52–64    39
E     walking, running and jumping    65–88    72
====  ==============================  =======  =======

Each item is scored 0–3 or "not tested" (NT). NT counts as 0 in the sums but is kept as NT
(``None``), never stored as 0. Dimension % = raw ÷ max × 100. The total % is the plain mean
of the five dimension percentages; pooling the raw points of all items is the common
mistake (A full and the rest 0 gives 20.0, not 19.32). The goal total % is the mean of the
chosen goal dimensions' percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TypeGuard

import numpy as np
import numpy.typing as npt

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.scales.common import get_field

CITATION = Citation(
    short="Russell et al. (GMFM User's Manual); CanChild scoring guidance",
    full="Russell DJ, Rosenbaum PL, Wright M, Avery LM. Gross Motor Function Measure "
    "(GMFM-66 & GMFM-88) User's Manual. Mac Keith Press. GMFM score sheet, CanChild.",
    status=Status.VERIFIED,
)

ITEM_COUNT = 88
MAX_ITEM_SCORE = 3
ITEM_SCORE_ALLOWED = "0, 1, 2, 3 or null (not tested)"


class GmfmDimension(StrEnum):
    """A GMFM dimension; the value is its letter."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"

    @property
    def items(self) -> range:
        """The item numbers of this dimension (1-based)."""
        return DIMENSION_ITEMS[self]

    @property
    def max_raw(self) -> int:
        """The highest raw score of this dimension (3 points per item)."""
        return MAX_ITEM_SCORE * len(DIMENSION_ITEMS[self])


#: Items of each dimension (score sheet).
DIMENSION_ITEMS: Mapping[GmfmDimension, range] = MappingProxyType(
    {
        GmfmDimension.A: range(1, 18),
        GmfmDimension.B: range(18, 38),
        GmfmDimension.C: range(38, 52),
        GmfmDimension.D: range(52, 65),
        GmfmDimension.E: range(65, 89),
    }
)

#: Short neutral labels (the score sheet's item texts are copyrighted).
DIMENSION_LABELS: Mapping[GmfmDimension, str] = MappingProxyType(
    {
        GmfmDimension.A: "lying and rolling",
        GmfmDimension.B: "sitting",
        GmfmDimension.C: "crawling and kneeling",
        GmfmDimension.D: "standing",
        GmfmDimension.E: "walking, running and jumping",
    }
)

# Short descriptive labels of the 88 items, written for Stride in plain words (at most
# about six words each). They say which task an item is so a clinician can find it on the
# form; they are not the score sheet's item texts (copyrighted, CanChild) and do not
# replace its instructions or scoring criteria, which the assessor uses as licensed.
# English only: the web layer renders them through its translated twin.
_LYING_AND_ROLLING: tuple[str, ...] = (
    "On back: head centred, turns head",           # 1
    "On back: hands meet at midline",              # 2
    "On back: lifts head forward",                 # 3
    "On back: bends right leg fully",              # 4
    "On back: bends left leg fully",               # 5
    "On back: right arm reaches across",           # 6
    "On back: left arm reaches across",            # 7
    "Rolls from back to front, right",             # 8
    "Rolls from back to front, left",              # 9
    "On front: raises head",                       # 10
    "On front: arms straight, chest lifted",       # 11
    "On front: leans on right, reaches",           # 12
    "On front: leans on left, reaches",            # 13
    "Rolls from front to back, right",             # 14
    "Rolls from front to back, left",              # 15
    "On front: turns a quarter right",             # 16
    "On front: turns a quarter left",              # 17
)
_SITTING: tuple[str, ...] = (
    "Hands held: comes up to sit",                 # 18
    "From back: sits up over right",               # 19
    "From back: sits up over left",                # 20
    "Held at chest: raises head",                  # 21
    "Held at chest: keeps head centred",           # 22
    "Sits on floor leaning on hands",              # 23
    "Sits on floor, hands free",                   # 24
    "Sitting: leans to a toy, returns",            # 25
    "Sitting: reaches back on right",              # 26
    "Sitting: reaches back on left",               # 27
    "Side-sits on right, hands free",              # 28
    "Side-sits on left, hands free",               # 29
    "Sitting: lowers onto front, controlled",      # 30
    "Sitting: to hands and knees, right",          # 31
    "Sitting: to hands and knees, left",           # 32
    "Sitting: turns a quarter, hands free",        # 33
    "Bench sitting, hands and feet free",          # 34
    "From standing: sits on low bench",            # 35
    "From floor: onto low bench",                  # 36
    "From floor: onto high bench",                 # 37
)
_CRAWLING_AND_KNEELING: tuple[str, ...] = (
    "Moves forward on tummy",                      # 38
    "Holds hands-and-knees position",              # 39
    "Hands and knees: to sitting",                 # 40
    "From front: up onto hands, knees",            # 41
    "Hands and knees: right arm reaches",          # 42
    "Hands and knees: left arm reaches",           # 43
    "Crawls or shuffles forward",                  # 44
    "Crawls forward, alternating arms and legs",   # 45
    "Crawls up stairs",                            # 46
    "Crawls down stairs backwards",                # 47
    "From sitting: to upright kneeling",           # 48
    "Kneeling: half-kneels on right knee",         # 49
    "Kneeling: half-kneels on left knee",          # 50
    "Walks forward on knees",                      # 51
)
_STANDING: tuple[str, ...] = (
    "From floor: pulls up at bench",               # 52
    "Stands without support, briefly",             # 53
    "Holding on: lifts right foot",                # 54
    "Holding on: lifts left foot",                 # 55
    "Stands without support, longer",              # 56
    "No support: lifts left foot",                 # 57
    "No support: lifts right foot",                # 58
    "From low bench: stands, no hands",            # 59
    "Kneeling to standing via right knee",         # 60
    "Kneeling to standing via left knee",          # 61
    "From standing: down to floor, controlled",    # 62
    "From standing: squats, hands free",           # 63
    "Picks a toy up from floor",                   # 64
)
_WALKING_RUNNING_AND_JUMPING: tuple[str, ...] = (
    "Side-steps along bench to right",             # 65
    "Side-steps along bench to left",              # 66
    "Walks with both hands held",                  # 67
    "Walks with one hand held",                    # 68
    "Walks forward alone",                         # 69
    "Walks, turns round, walks back",              # 70
    "Walks backwards",                             # 71
    "Walks carrying a big object",                 # 72
    "Walks between two lines",                     # 73
    "Walks along a narrow line",                   # 74
    "Steps over a stick, right first",             # 75
    "Steps over a stick, left first",              # 76
    "Runs, stops, comes back",                     # 77
    "Kicks a ball, right foot",                    # 78
    "Kicks a ball, left foot",                     # 79
    "Jumps up, feet together",                     # 80
    "Jumps forward, feet together",                # 81
    "Hops on right foot",                          # 82
    "Hops on left foot",                           # 83
    "Up stairs with rail, alternating feet",       # 84
    "Down stairs with rail, alternating feet",     # 85
    "Up stairs, no rail, alternating feet",        # 86
    "Down stairs, no rail, alternating feet",      # 87
    "Jumps down from a step",                      # 88
)

#: The items' labels by dimension, in item order (entry ``i`` of A is item ``i + 1``).
ITEM_LABELS_BY_DIMENSION: Mapping[GmfmDimension, tuple[str, ...]] = MappingProxyType(
    {
        GmfmDimension.A: _LYING_AND_ROLLING,
        GmfmDimension.B: _SITTING,
        GmfmDimension.C: _CRAWLING_AND_KNEELING,
        GmfmDimension.D: _STANDING,
        GmfmDimension.E: _WALKING_RUNNING_AND_JUMPING,
    }
)
#: The 88 items' labels in item order: entry ``i`` is item ``i + 1``.
ITEM_LABELS: tuple[str, ...] = tuple(
    label for dimension in GmfmDimension for label in ITEM_LABELS_BY_DIMENSION[dimension])

for _dimension, _labels in ITEM_LABELS_BY_DIMENSION.items():
    # A label list that drifts from the score sheet's items would name the wrong task.
    if len(_labels) != len(DIMENSION_ITEMS[_dimension]):  # pragma: no cover - import check
        raise RuntimeError(f"GMFM-88 dimension {_dimension}: {len(_labels)} labels")


def item_label(item: int) -> str:
    """Return the short English label of item ``item`` (1–88).

    Raises
    ------
    InvalidValue
        For an item number outside 1–88.
    """
    if not 1 <= item <= ITEM_COUNT:
        raise InvalidValue("item", item, "item numbers 1 to 88")
    return ITEM_LABELS[item - 1]


def _is_item_score(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ITEM_SCORE


def parse_item_score(value: object, *, field: str) -> int | None:
    """Return an item score 0–3, or ``None`` for not tested (``null`` or ``"NT"``).

    Raises
    ------
    InvalidValue
        For anything else (``4``, ``"3+"``, ``1.5``, ``True``, an empty text).
    """
    if value is None:
        return None
    if isinstance(value, str) and value.strip().upper() == "NT":
        return None
    if _is_item_score(value):
        return value
    if isinstance(value, str) and value.strip() in {"0", "1", "2", "3"}:
        return int(value.strip())
    raise InvalidValue(field, value, ITEM_SCORE_ALLOWED)


def parse_goal_dimensions(
    value: object, *, field: str = "goal_dimensions"
) -> frozenset[GmfmDimension]:
    """Return the goal dimensions from a list of letters (``[]`` or ``null``: none chosen).

    Raises
    ------
    InvalidValue
        For a letter outside A–E, a repeated letter, or a value that is not a list.
    """
    allowed = "a list of distinct dimension letters A, B, C, D, E (may be empty)"
    if value is None:
        return frozenset()
    if not isinstance(value, list | tuple):
        raise InvalidValue(field, value, allowed)
    chosen: set[GmfmDimension] = set()
    for letter in value:
        code = letter.strip().upper() if isinstance(letter, str) else ""
        if code not in GmfmDimension.__members__ or GmfmDimension(code) in chosen:
            raise InvalidValue(field, letter, allowed)
        chosen.add(GmfmDimension(code))
    return frozenset(chosen)


def dimension_percentages(items: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """Return the percentage of each dimension A–E for rows of item scores, ``(rows, 5)``.

    ``items`` is ``(rows, 88)``: column ``i`` is item ``i + 1``, scored 0–3 (NT as 0).
    A dimension's percentage is its raw score over its maximum (3 × its items) × 100.
    The one place this arithmetic is written: :meth:`Gmfm88Scores.result` calls it for one
    assessment, the synthetic registry for many. (The page's live preview,
    ``static/stride/gmfm88.js``, mirrors it; a browser test holds the two equal.)
    """
    rows = np.asarray(items, dtype=np.int64).reshape(-1, ITEM_COUNT)
    columns = [rows[:, r.start - 1:r.stop - 1].sum(axis=1) / (MAX_ITEM_SCORE * len(r)) * 100.0
               for r in (DIMENSION_ITEMS[d] for d in GmfmDimension)]
    return np.asarray(np.stack(columns, axis=1), dtype=np.float64).reshape(-1, 5)


@dataclass(frozen=True, slots=True)
class Gmfm88Result:
    """Scores of one GMFM-88 assessment, in percent (0–100, not rounded).

    Attributes
    ----------
    dimensions
        Percentage of each dimension A–E.
    total
        Mean of the five dimension percentages.
    goal_total
        Mean of the goal dimensions' percentages; ``None`` when no goal dimension was chosen.
    goal_dimensions
        The goal dimensions, in order A–E.
    not_tested
        Item numbers scored NT (counted as 0 above).
    """

    dimensions: Mapping[GmfmDimension, float]
    total: float
    goal_total: float | None
    goal_dimensions: tuple[GmfmDimension, ...]
    not_tested: tuple[int, ...]

    def to_json(self, *, decimals: int | None = None) -> dict[str, object]:
        """Return the JSON form, percentages rounded to ``decimals`` when given."""

        def shown(value: float) -> float:
            return value if decimals is None else round(value, decimals)

        return {
            "dimensions": {dim.value: shown(pct) for dim, pct in self.dimensions.items()},
            "total": shown(self.total),
            "goal_total": None if self.goal_total is None else shown(self.goal_total),
            "goal_dimensions": [dim.value for dim in self.goal_dimensions],
            "not_tested": list(self.not_tested),
        }


@dataclass(frozen=True, slots=True)
class Gmfm88Scores:
    """The item scores of one GMFM-88 assessment.

    Parameters
    ----------
    items
        88 entries; entry ``i`` is item ``i + 1``: a score 0–3, or ``None`` for NT.
    goal_dimensions
        The dimensions chosen as goals (may be empty).

    Raises
    ------
    InvalidValue
        If there are not exactly 88 entries or an entry is not 0–3 / ``None``.
    """

    items: tuple[int | None, ...]
    goal_dimensions: frozenset[GmfmDimension] = frozenset()

    def __post_init__(self) -> None:
        if len(self.items) != ITEM_COUNT:
            raise InvalidValue("items", f"{len(self.items)} items", "exactly 88 items, 1 to 88")
        for number, score in enumerate(self.items, start=1):
            # The typed object takes only int or None; texts such as "NT" are parsed first.
            if score is not None and not _is_item_score(score):
                raise InvalidValue(f"items.{number}", score, ITEM_SCORE_ALLOWED)

    def score(self, item: int) -> int | None:
        """Return the score of item ``item`` (1–88); ``None`` means not tested."""
        if not 1 <= item <= ITEM_COUNT:
            raise InvalidValue("item", item, "item numbers 1 to 88")
        return self.items[item - 1]

    @property
    def not_tested(self) -> tuple[int, ...]:
        """Item numbers scored NT."""
        return tuple(n for n, score in enumerate(self.items, start=1) if score is None)

    def raw(self, dimension: GmfmDimension) -> int:
        """Raw score of ``dimension`` (NT counts as 0)."""
        return sum(self.items[n - 1] or 0 for n in dimension.items)

    def result(self) -> Gmfm88Result:
        """Return dimension, total and goal-total percentages (see module docstring)."""
        scored = [score or 0 for score in self.items]  # NT counts as 0
        percent = dict(zip(GmfmDimension, dimension_percentages(np.array([scored]))[0].tolist(),
                           strict=True))
        goals = tuple(dim for dim in GmfmDimension if dim in self.goal_dimensions)
        goal_total = sum(percent[d] for d in goals) / len(goals) if goals else None
        return Gmfm88Result(
            dimensions=MappingProxyType(percent),
            total=sum(percent.values()) / len(percent),
            goal_total=goal_total,
            goal_dimensions=goals,
            not_tested=self.not_tested,
        )

    def to_json(self) -> dict[str, object]:
        """Return ``{"items": {"1": 3, ..., "88": null}, "goal_dimensions": [...]}``."""
        return {
            "items": {str(n): score for n, score in enumerate(self.items, start=1)},
            "goal_dimensions": [d.value for d in GmfmDimension if d in self.goal_dimensions],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Gmfm88Scores:
        """Parse the :meth:`to_json` form: all 88 item keys present, ``null`` for NT.

        Raises
        ------
        InvalidValue
            For a missing item, an item number outside 1–88, a score outside 0–3 / null,
            or bad goal dimensions; the message names the item.
        """
        raw_items = get_field(data, "items")
        if not isinstance(raw_items, Mapping):
            raise InvalidValue("items", raw_items, 'an object with keys "1" to "88"')
        expected = {str(n) for n in range(1, ITEM_COUNT + 1)}
        unknown = sorted(set(map(str, raw_items)) - expected)
        if unknown:
            raise InvalidValue("items", unknown[0], 'item numbers "1" to "88"')
        missing = [n for n in range(1, ITEM_COUNT + 1) if str(n) not in raw_items]
        if missing:
            raise InvalidValue(
                "items",
                f"(missing items {_ranges(missing)})",
                'every item "1" to "88", each 0, 1, 2, 3 or null (not tested)',
            )
        items = tuple(
            parse_item_score(raw_items[str(n)], field=f"items.{n}")
            for n in range(1, ITEM_COUNT + 1)
        )
        goals = parse_goal_dimensions(get_field(data, "goal_dimensions"))
        return cls(items=items, goal_dimensions=goals)


def _ranges(numbers: Iterable[int]) -> str:
    """Return ``[1, 2, 3, 7]`` as ``"1–3, 7"``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)
