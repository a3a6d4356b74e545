"""``stride`` sub-commands for the clinical core (registered by :mod:`stride.cli`).

* ``stride gmfm88 SCORES.json``: GMFM-88 dimension, total and goal-total percentages.
* ``stride expected-gmfm66 --gmfcs N --age YEARS [--reference NAME]``: the expected
  GMFM-66 score from a reference set.
* ``stride references``: every reference set with its citation and status.

Each prints one JSON object on standard output. Percentages and scores are rounded to two
decimals for display; the core computes them unrounded.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stride.commands import SubParsers
from stride.core.json_files import read_json_object
from stride.core.natural_history import (
    DEFAULT_REFERENCE,
    expected_gmfm66,
    get_reference,
    list_references,
)
from stride.core.scales.common import parse_float, parse_level
from stride.core.scales.gmfm88 import Gmfm88Scores

#: Decimals shown for percentages and scores.
DECIMALS = 2


def _print(payload: object) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2))


def _gmfm88(args: argparse.Namespace) -> int:
    scores = Gmfm88Scores.from_json(read_json_object(
        Path(args.scores), what="a JSON file of GMFM-88 item scores",
        example='{"items": {"1": 3, ..., "88": null}, "goal_dimensions": ["D", "E"]}',
    ))
    result = scores.result().to_json(decimals=DECIMALS)
    _print(
        {
            "dimensions": result["dimensions"],
            "total": result["total"],
            "goal_total": result["goal_total"],
            "not_tested": result["not_tested"],
        }
    )
    return 0


def _expected_gmfm66(args: argparse.Namespace) -> int:
    level = parse_level(args.gmfcs, field="gmfcs")
    age = parse_float(args.age, field="age", allowed="an age in years, e.g. 5.5")
    reference = get_reference(args.reference)
    expected = expected_gmfm66(int(level), age, reference)
    _print(
        {
            "reference": reference.name,
            "reference_version": reference.version,
            "gmfcs": int(level),
            "age_years": age,
            "expected": round(expected, DECIMALS),
            "citation": reference.citation.full,
        }
    )
    return 0


def _references(_args: argparse.Namespace) -> int:
    _print(
        {
            "references": [
                {
                    "name": ref.name,
                    "version": ref.version,
                    "measure": ref.measure.value,
                    "status": ref.status.value,
                    "usable": ref.status.usable,
                    "citation": ref.citation.full,
                    "notes": ref.notes,
                }
                for ref in list_references()
            ]
        }
    )
    return 0


def register(commands: SubParsers) -> None:
    """Add ``gmfm88``, ``expected-gmfm66`` and ``references`` to ``commands``."""
    gmfm88 = commands.add_parser(
        "gmfm88",
        help="score a GMFM-88 sheet: dimension, total and goal-total percentages",
        description='SCORES.json is {"items": {"1": 3, ..., "88": null}, "goal_dimensions": '
        '["D", "E"]}: all 88 items, each 0-3 or null (not tested, counted as 0).',
    )
    gmfm88.add_argument("scores", metavar="SCORES.json", help="the item scores")
    gmfm88.set_defaults(handler=_gmfm88)

    expected = commands.add_parser(
        "expected-gmfm66",
        help="expected GMFM-66 score for a GMFCS level and age from a reference set",
    )
    expected.add_argument("--gmfcs", required=True, help="GMFCS level 1-5")
    expected.add_argument("--age", required=True, help="age in years, e.g. 5.5")
    expected.add_argument(
        "--reference",
        default=DEFAULT_REFERENCE,
        help=f"reference set name (default {DEFAULT_REFERENCE}; see 'stride references')",
    )
    expected.set_defaults(handler=_expected_gmfm66)

    references = commands.add_parser(
        "references", help="list the motor-growth reference sets with citations and status"
    )
    references.set_defaults(handler=_references)
