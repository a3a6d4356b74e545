"""Sub-commands of the ``stride`` command line, one module per core capability.

Each module defines ``register(commands)``, which adds its sub-parsers to the ``stride``
parser and sets ``handler`` (a function taking the parsed arguments and returning the exit
status) on each. Handlers turn bad files and values into :class:`~stride.core.errors.StrideError`,
which :func:`stride.cli.main` prints as one line with exit status 2.
"""

from __future__ import annotations

import argparse
from typing import TypeAlias

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
