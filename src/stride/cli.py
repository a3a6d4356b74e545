"""The ``stride`` command: offline work on files (scores, curves, rootlet sessions).

Sub-commands are registered in :func:`build_parser`; each has a handler that returns the
process exit status. A :class:`~stride.core.errors.StrideError` becomes a one-line message
on standard error and exit status 2, never a stack trace.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from stride import __version__
from stride.commands import candidacy, clinical, registry, rootlets
from stride.core.errors import StrideError

Handler = Callable[[argparse.Namespace], int]


def _version(_args: argparse.Namespace) -> int:
    print(f"stride {__version__}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command."""
    parser = argparse.ArgumentParser(
        prog="stride",
        description="Stride command line: offline tools for CP programme data.",
    )
    parser.add_argument("--version", action="version", version=f"stride {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    version = commands.add_parser("version", help="print the Stride version")
    version.set_defaults(handler=_version)
    for module in (clinical, candidacy, rootlets, registry):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except StrideError as error:
        print(f"stride: {error.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`stride references | head`): not an error of ours. Point
        # stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
