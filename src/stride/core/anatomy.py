"""The body's sides, named once for every measure and treatment that has one.

Tone and range-of-motion measures (Modified Ashworth, Tardieu, the examination) and
treatment episodes (injections, counts of rootlets cut) store a side as ``"left"`` or
``"right"``. The operating-room recording spec writes a rootlet's side as a one-letter code
(:class:`stride.core.rootlets.anatomy.SideCode`, ``L``/``R``); that code is the spec's, and
only the rootlet engine and its files use it.
"""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """Body side of a measurement or treatment; the value is the stored code."""

    LEFT = "left"
    RIGHT = "right"
