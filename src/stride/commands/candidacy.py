"""``stride`` sub-commands for the candidacy core (registered by :mod:`stride.cli`).

``stride candidacy FACTS.json --rule-set sdr-v1 [--family]`` prints a decision as JSON::

    {"rule_set": "sdr-v1", "outcome": "review",
     "rules": [{"id": ..., "result": ..., "reason": <English>, "citation": ...}, ...],
     "missing": [<fact names>]}

With ``--family`` the same object also has ``"family"``: the outcome worded for families
(``{"sections": [{"heading": ..., "items": [...]}], "note": ...}``).

``stride rule-sets`` lists every released rule set with its version, sources and rules.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from stride.commands import SubParsers
from stride.core.eligibility.catalogue import available_rule_sets, get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Facts, parse_facts
from stride.core.eligibility.family import family_view
from stride.core.eligibility.model import Decision, RuleSet
from stride.core.eligibility.reasons import reason_text
from stride.core.json_files import read_json_object


def register(commands: SubParsers) -> None:
    """Add ``candidacy`` and ``rule-sets`` to ``commands``."""
    candidacy = commands.add_parser(
        "candidacy",
        help="check a child's facts against a candidacy rule set",
        description="Run a released candidacy rule set on a JSON file of facts and print "
        "the decision as JSON: every rule's result with its reason and citation, the "
        "overall outcome and the facts still missing.",
    )
    candidacy.add_argument("facts", type=Path, metavar="FACTS.json",
                           help="JSON object of fact names and values (unknown facts left out)")
    candidacy.add_argument("--rule-set", required=True, metavar="ID",
                           help="rule-set id, e.g. sdr-v1 (see `stride rule-sets`)")
    candidacy.add_argument("--family", action="store_true",
                           help="add the outcome worded for families")
    candidacy.set_defaults(handler=_candidacy)

    rule_sets = commands.add_parser(
        "rule-sets", help="list the candidacy rule sets with versions and citations"
    )
    rule_sets.set_defaults(handler=_rule_sets)


def _candidacy(args: argparse.Namespace) -> int:
    rule_set = get_rule_set(args.rule_set)
    decision = evaluate(rule_set, read_facts(args.facts))
    output = decision_json(rule_set, decision)
    if args.family:
        output["family"] = family_view(decision).to_json()
    print(json.dumps(output, indent=2, ensure_ascii=False))
    return 0


def decision_json(rule_set: RuleSet, decision: Decision) -> dict[str, Any]:
    """Return ``decision`` as the command prints it: English reasons and each citation."""
    return {
        "rule_set": decision.rule_set_id,
        "outcome": decision.outcome.value,
        "rules": [
            {
                "id": result.rule_id,
                "result": result.verdict.value,
                "reason": reason_text(result.reason, result.parameters),
                "citation": rule_set.rule(result.rule_id).citation,
            }
            for result in decision.results
        ],
        "missing": [fact.value for fact in decision.missing],
    }


def read_facts(path: Path) -> Facts:
    """Read and validate a JSON file of facts.

    Raises
    ------
    StrideError
        If the file is missing or unreadable, is not JSON, is not a JSON object, repeats a
        name, or holds an unknown fact or a bad value.
    """
    return parse_facts(read_json_object(
        path, what="a JSON file of facts", example='{"age_years": 6.5, "gmfcs": 2}',
    ))


def _rule_sets(_args: argparse.Namespace) -> int:
    for rule_set in available_rule_sets():
        print(f"{rule_set.id}  (name {rule_set.name}, version {rule_set.version}): "
              f"{rule_set.title}")
        print("  sources:")
        for source in rule_set.sources:
            print(f"    - {source}")
        print("  rules:")
        for rule in rule_set.rules:
            print(f"    - {rule.id} ({rule.fires_as.value}): {rule.checks}")
            print(f"      citation: {rule.citation}")
    return 0
