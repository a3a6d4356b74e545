"""Text for finding a case by what a person types: names in any script, references,
e-mail addresses, telephone numbers and dates of birth.

The same folding is applied to what is stored (:func:`search_document`, one text per case)
and to what is typed (:func:`parse_query`), so that matching is a plain "contains" on both
databases:

- Unicode compatibility forms are unified (NFKC: full-width Latin, Arabic presentation
  forms) and the text is case-folded (``ß`` → ``ss``, Cyrillic and Greek capitals).
- Marks are removed: Latin accents (``é`` → ``e``), Arabic harakat and the dagger alef,
  Cyrillic breve and diaeresis (``й`` → ``и``, ``ё`` → ``е``: a search finds both spellings).
- Arabic letters are folded as people type them: alef with hamza or madda (``أ إ آ ٱ``) → ``ا``,
  ta marbuta ``ة`` → ``ه``, alef maqsura ``ى`` → ``ي``, Persian yeh and keheh → Arabic
  ``ي`` and ``ك``; tatweel (the stretching line ``ـ``) is removed.
- Digits of any script (Arabic-Indic ``٠١٢``, Persian, full-width) become ASCII digits.
- A few Latin letters that carry no separable accent are spelled out (``ø`` → ``o``,
  ``ł`` → ``l``, ``æ`` → ``ae``).

Each field is stored twice: folded (words kept apart by single spaces) and *compact*
(letters and digits only), so ``al hashimi``, ``al-hashimi`` and ``alhashimi`` all find
"Al-Hashimi", and "王丽" finds a child stored as family name 王, given name 丽. A typed
query is split into words; a case matches when every word's compact form occurs in the
case's document. Pure Python: no Django, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

#: Arabic (and Persian) letters folded to the form people usually type.
_LETTERS: Final = str.maketrans({
    "\u0622": "\u0627",  # آ alef with madda above
    "\u0623": "\u0627",  # أ alef with hamza above
    "\u0625": "\u0627",  # إ alef with hamza below
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0629": "\u0647",  # ة ta marbuta → ه heh
    "\u0649": "\u064a",  # ى alef maqsura → ي yeh
    "\u06cc": "\u064a",  # ی Persian yeh → ي
    "\u06a9": "\u0643",  # ک keheh → ك kaf
    "\u0640": None,      # ـ tatweel
    "ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h",
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'",
})

#: Shortest run of digits read as (part of) a telephone number: shorter runs are compared
#: as typed (a reference's number, a year), longer ones as a telephone number.
PHONE_MIN_DIGITS: Final = 6
#: A telephone number is compared by its last digits, at most this many: the same number
#: written with or without a country code or a trunk ``0`` ends the same way, and nine
#: digits are the national significant number of most countries (Stride's search
#: convention, chosen so that a typed number is not missed, not a telephony rule).
PHONE_COMPARED_DIGITS: Final = 9

_SPACES: Final = re.compile(r"\s+")
_PHONE_LIKE: Final = re.compile(r"^[\s\d()+./-]+$")


def _ascii_digit(character: str) -> str:
    """``character`` as an ASCII digit when it is a decimal digit of any script."""
    value = unicodedata.decimal(character, None)
    return str(value) if value is not None else character


def fold(text: str) -> str:
    """Return ``text`` folded for comparison (see the module's list); words are kept apart
    by single spaces, punctuation is kept."""
    composed = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFKD", composed.translate(_LETTERS))
    kept = "".join(_ascii_digit(character) for character in decomposed
                   if not unicodedata.category(character).startswith("M"))
    # Decomposing can bring back letters the table folds (a yeh with hamza): fold again.
    return _SPACES.sub(" ", unicodedata.normalize("NFC", kept.translate(_LETTERS))).strip()


def compact(text: str) -> str:
    """Return ``text`` folded with everything but letters and digits left out."""
    return "".join(character for character in fold(text) if character.isalnum())


def digits(text: str) -> str:
    """Return the digits of ``text`` (any script) as ASCII digits, nothing else."""
    return "".join(character for character in fold(text) if character.isdigit())


def search_document(*, names: Iterable[str], reference: str, emails: Iterable[str] = (),
                    phones: Iterable[str] = (), date_of_birth: date | None = None) -> str:
    """Return the text a case is found by.

    ``names`` are the people's names, each as one string (a child's "given family" and
    "family given" both, so that either order typed finds it); ``reference`` the case
    reference; ``emails`` and ``phones`` the guardians'. Every field is stored folded and
    compact, separated by `` | `` so that no typed word can run from one field into the
    next; a telephone number by its digits only; the date of birth in ISO form
    (``2019-05-17``, and compact, so that ``2019-05`` finds it).
    """
    fields: list[str] = []
    born = (date_of_birth.isoformat(),) if date_of_birth is not None else ()
    for value in (*names, reference, *emails, *born):
        folded = fold(value)
        if folded:
            fields.append(folded)
            squeezed = compact(value)
            if squeezed != folded:
                fields.append(squeezed)
    fields.extend(number for number in (digits(phone) for phone in phones) if number)
    return " | ".join(dict.fromkeys(fields))


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """What a person typed, ready to compare with stored documents.

    Attributes
    ----------
    words
        Each word's compact form: a document matches when it contains every one.
    number
        When the whole query looks like a telephone number (digits with spaces, ``+``,
        ``-``, brackets, dots or slashes and at least :data:`PHONE_MIN_DIGITS` digits): its
        last :data:`PHONE_COMPARED_DIGITS` digits without leading zeros, to find a number
        stored with or without a country code or trunk ``0``. A document containing them
        matches too.
    """

    words: tuple[str, ...]
    number: str = ""

    @property
    def empty(self) -> bool:
        """Whether nothing searchable was typed (only spaces or punctuation)."""
        return not self.words and not self.number


def parse_query(text: str) -> SearchTerms:
    """Return the search terms of a typed query (see :class:`SearchTerms`)."""
    words = tuple(dict.fromkeys(word for word in (compact(part) for part in fold(text).split(" "))
                                if word))
    number = ""
    if _PHONE_LIKE.match(fold(text) or "x"):
        typed = digits(text)
        if len(typed) >= PHONE_MIN_DIGITS:
            number = typed[-PHONE_COMPARED_DIGITS:].lstrip("0") or typed
    return SearchTerms(words=words, number=number)
