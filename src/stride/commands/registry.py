"""``stride registry synth --children N [--seed S]``: load a synthetic outcomes registry.

Unlike the other sub-commands this one writes to Stride's database (the one
``DATABASE_URL`` names, migrated first with ``manage.py migrate``): it sets up Django and
calls :func:`stride.web.registry.synth.load_synthetic_registry`. It prints what it wrote
and how long it took.
"""

from __future__ import annotations

import argparse
import os
import time

from stride.commands import SubParsers
from stride.core.errors import InvalidValue, StrideError

#: The most children one load may create (a guard against a typo such as 10000000).
MAX_CHILDREN = 1_000_000
DEFAULT_SEED = 20261123


def register(commands: SubParsers) -> None:
    """Add ``registry synth`` to ``commands``."""
    registry = commands.add_parser(
        "registry", help="outcomes registry tools",
        description="Tools for the outcomes registry.")
    actions = registry.add_subparsers(dest="registry_command", metavar="ACTION", required=True)
    synth = actions.add_parser(
        "synth", help="create a synthetic registry in the database",
        description="Create N synthetic children (clearly marked synthetic) with GMFCS, "
        "GMFM-66, GMFM-88, MAS and history assessments, treatment episodes and the "
        "registry's derived rows, by bulk insert into the database DATABASE_URL names.")
    synth.add_argument("--children", type=int, required=True, metavar="N",
                       help=f"number of synthetic children, 1 to {MAX_CHILDREN:,}")
    synth.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                       help=f"random seed (default {DEFAULT_SEED}); the same seed gives "
                       "the same data")
    synth.set_defaults(handler=_synth)


def _synth(args: argparse.Namespace) -> int:
    if not 1 <= args.children <= MAX_CHILDREN:
        raise InvalidValue("--children", args.children, f"1 to {MAX_CHILDREN:,}")
    if args.seed < 0:
        raise InvalidValue("--seed", args.seed, "0 or more")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stride.web.settings")
    # Django is imported here, not at the top: only this sub-command needs it.
    import django

    django.setup()
    from django.db import DatabaseError

    from stride.web.registry.synth import load_synthetic_registry

    started = time.perf_counter()
    try:
        report = load_synthetic_registry(children=args.children, seed=args.seed)
    except DatabaseError as error:
        # Most often a database not migrated yet; nothing was stored (one transaction).
        raise StrideError(f"the database refused the load ({error}); nothing was stored. "
                          "Is it migrated (manage.py migrate)?", code="database") from None
    seconds = time.perf_counter() - started
    print(f"Synthetic registry loaded in {seconds:.1f} s: {report.children} children, "
          f"{report.assessments} assessments, {report.episodes} treatment episodes, "
          f"{report.windows} outcome windows.")
    return 0
