"""How the programme's contact details become links on its public contact page.

Pure rules, no Django: a telephone line as administrators type it (``+359 2 000 0000
(international office)``) becomes the number shown, the number a ``tel:`` link dials and
its note; a WhatsApp number becomes the digits ``https://wa.me/`` takes; a postal address
becomes an OpenStreetMap search link (a link only: no map is embedded, so the page loads
nothing from another site).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

#: Fewest digits a dialable number has (a short national number without its prefix).
MIN_DIGITS = 6
#: Most digits an international number has (ITU-T E.164).
MAX_DIGITS = 15
OSM_SEARCH = "https://www.openstreetmap.org/search?query="
WHATSAPP = "https://wa.me/"

_NOTE = re.compile(r"^(?P<number>[^()]*)\((?P<note>[^()]*)\)\s*$")


@dataclass(frozen=True, slots=True)
class PhoneLine:
    """One telephone line of the profile."""

    #: The number as the programme wrote it (without its note).
    shown: str
    #: What a ``tel:`` link dials: ``+`` and digits; empty when the line has no number.
    dial: str
    #: The note in brackets after the number ("ward"), or empty.
    note: str


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isascii() and character.isdigit())


def phone_line(line: str) -> PhoneLine:
    """Split ``line`` into the number shown, the number dialled and its note.

    ``"+359 2 000 0000 (ward)"`` -> ``PhoneLine("+359 2 000 0000", "+35920000000", "ward")``.
    A line without enough digits (or with more than E.164 allows) keeps ``dial`` empty,
    so the page shows it as text and never offers a link that rings nobody.
    """
    text = " ".join(line.split())
    match = _NOTE.match(text)
    number, note = (match["number"].strip(), match["note"].strip()) if match else (text, "")
    digits = _digits(number)
    plus = "+" if number.lstrip().startswith(("+", "00")) else ""
    if number.lstrip().startswith("00"):  # the international prefix is not part of E.164
        digits = digits[2:]
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return PhoneLine(shown=number or text, dial="", note=note)
    return PhoneLine(shown=number, dial=f"{plus}{digits}", note=note)


def whatsapp_link(number: str) -> str:
    """The ``https://wa.me/<digits>`` link of an international number, or "" when the
    number has too few or too many digits for one (wa.me takes the digits alone)."""
    digits = _digits(number)
    if number.strip().startswith("00"):
        digits = digits[2:]
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return ""
    return f"{WHATSAPP}{digits}"


def map_search_link(address_lines: Sequence[str], country: str = "") -> str:
    """An OpenStreetMap search for the address (lines joined by commas, then the country),
    or "" when there is no address."""
    parts = [" ".join(line.split()) for line in address_lines if line.strip()]
    if not parts:
        return ""
    if country.strip():
        parts.append(country.strip())
    return OSM_SEARCH + quote(", ".join(parts), safe="")
