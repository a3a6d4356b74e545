"""``stride`` sub-commands for the rootlets core (registered by :mod:`stride.cli`)."""

from __future__ import annotations

from stride.commands import SubParsers


def register(commands: SubParsers) -> None:
    """Add this module's sub-commands to ``commands`` (none yet)."""
