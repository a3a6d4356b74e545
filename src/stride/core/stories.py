"""Family stories: the de-identification check, the coordinator's checklist, the workflow
and the content hash a family's approval is bound to (pure).

A story is published on the public site, so nothing in it may point at the child: no
name of the child or a guardian (given or family), no exact date, no place smaller than a
country. :func:`check_text` finds names and exact dates in any text of the story (the
pseudonym, each language's title and body, alt texts) and returns coded problems; the
place rule cannot be checked by a program, so the coordinator ticks it with the two
others (:class:`ChecklistItem`). Publishing is refused while any problem remains or any
box is unticked (:func:`publication_problems`).

Names are matched after :func:`stride.core.search_text.fold` on both sides (case, accents,
Arabic letter variants, digits of any script), as whole words for scripts that separate
words by spaces and as plain substrings for Chinese and Japanese, which do not.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from stride.core.search_text import fold


class StoryStatus(StrEnum):
    """Where a story is in its workflow; the value is stored."""

    DRAFT = "draft"
    AWAITING_FAMILY = "awaiting-family"
    AWAITING_CLINICIAN = "awaiting-clinician"
    #: Approved by the family and checked by a clinician: the coordinator may publish.
    READY = "ready"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


#: Which status each step may start from. Withdrawal is allowed from every status but
#: withdrawn itself: a family may withdraw at any time.
ALLOWED_FROM: Final[Mapping[str, frozenset[StoryStatus]]] = {
    "edit": frozenset({StoryStatus.DRAFT, StoryStatus.AWAITING_FAMILY,
                       StoryStatus.AWAITING_CLINICIAN, StoryStatus.READY}),
    "send-to-family": frozenset({StoryStatus.DRAFT}),
    "family-approve": frozenset({StoryStatus.AWAITING_FAMILY}),
    "family-ask-changes": frozenset({StoryStatus.AWAITING_FAMILY}),
    "clinician-agree": frozenset({StoryStatus.AWAITING_CLINICIAN}),
    "clinician-send-back": frozenset({StoryStatus.AWAITING_CLINICIAN}),
    "publish": frozenset({StoryStatus.READY}),
    "withdraw": frozenset({StoryStatus.DRAFT, StoryStatus.AWAITING_FAMILY,
                           StoryStatus.AWAITING_CLINICIAN, StoryStatus.READY,
                           StoryStatus.PUBLISHED}),
}


def may(step: str, status: StoryStatus) -> bool:
    """Whether ``step`` (a key of :data:`ALLOWED_FROM`) may be taken from ``status``."""
    return status in ALLOWED_FROM[step]


class ChecklistItem(StrEnum):
    """The boxes the coordinator ticks before the story goes to the family."""

    NO_FULL_NAME = "no-full-name"
    NO_EXACT_DATE = "no-exact-date"
    NO_PLACE_BELOW_COUNTRY = "no-place-below-country"


class ProblemCode(StrEnum):
    """What :func:`check_text` and :func:`publication_problems` find."""

    GIVEN_NAME = "given-name"
    FAMILY_NAME = "family-name"
    EXACT_DATE = "exact-date"
    UNTICKED = "checklist-unticked"
    NO_TEXT = "no-text"


@dataclass(frozen=True, slots=True)
class StoryProblem:
    """One problem: its code, the part of the story it is in (``"pseudonym"``,
    ``"title:en"``, ``"body:zh-hans"``, ``"alt:3"``, ``"checklist"``) and what was found
    (the name or date as written, or the checklist item)."""

    code: ProblemCode
    part: str
    found: str


@dataclass(frozen=True, slots=True)
class PersonName:
    """A given and a family name of the child or a guardian (either may be empty)."""

    given: str
    family: str


#: Month names as written after (or before) a day, in the languages of the site; folded
#: like the text. Russian and Bulgarian in the forms a date takes; English full and short.
_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "января", "февраля", "марта", "апреля", "мая", "июня", "июля",
    "августа", "сентября", "октября", "ноября", "декабря", "январь", "февраль", "март",
    "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    "януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
    "октомври", "ноември", "декември", "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
)
_MONTH_ALT: Final = "|".join(sorted({re.escape(fold(m)) for m in _MONTHS}, key=len,
                                    reverse=True))
_DAY: Final = r"(?:[12]\d|3[01]|0?[1-9])"
_DATE_PATTERNS: Final = (
    # 12.05.2024, 2024-05-12, 5/12/24, 12.05. (day and month with a trailing dot)
    re.compile(r"(?<!\d)\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?!\d)"),
    re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.(?!\d)"),
    # 12 May, 12th of May, 12 мая
    re.compile(rf"(?<!\d){_DAY}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTH_ALT})(?!\w)"),
    # May 12, May 12th
    re.compile(rf"(?<!\w)(?:{_MONTH_ALT})\.?\s+{_DAY}(?:st|nd|rd|th)?(?!\d)"),
    # 2024年5月12日, 5月12日, 5月12号
    re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"),
)
#: Shorter names (an initial, one Chinese character) are not searched alone: a pseudonym
#: may be an initial.
_MIN_NAME_LENGTH: Final = 2


def _unspaced(text: str) -> bool:
    """Whether ``text`` is written in a script without spaces between words (CJK)."""
    return any("\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" for ch in text)


def _name_found(name: str, folded_text: str) -> bool:
    folded = fold(name)
    if len(folded) < _MIN_NAME_LENGTH:
        return False
    if _unspaced(folded):
        return folded in folded_text
    return re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", folded_text) is not None


def check_text(part: str, text: str, names: Iterable[PersonName]) -> tuple[StoryProblem, ...]:
    """Return the names and exact dates found in ``text`` (one part of the story), in the
    order: given names, family names, dates; empty when the text is clean."""
    folded = fold(text)
    problems: list[StoryProblem] = []
    people = list(names)
    for code, found_names in ((ProblemCode.GIVEN_NAME, [p.given for p in people]),
                              (ProblemCode.FAMILY_NAME, [p.family for p in people])):
        for name in dict.fromkeys(n.strip() for n in found_names):
            # A compound name ("Anna Maria") is found by any of its words as well.
            words = [name, *name.split()] if " " in name else [name]
            hit = next((w for w in words if w and _name_found(w, folded)), None)
            if hit is not None:
                problems.append(StoryProblem(code, part, hit))
    for person in people:
        # Chinese names of one character each are too common inside words to search alone
        # ("丽" in "美丽", beautiful); the full name, family name first, is searched.
        full = f"{person.family.strip()}{person.given.strip()}"
        if (_unspaced(full) and full not in {p.found for p in problems}
                and _name_found(full, folded)):
            problems.append(StoryProblem(ProblemCode.FAMILY_NAME, part, full))
    seen: set[str] = set()
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(folded):
            if match.group(0) not in seen:
                seen.add(match.group(0))
                problems.append(StoryProblem(ProblemCode.EXACT_DATE, part, match.group(0)))
    return tuple(problems)


def check_story(parts: Mapping[str, str], names: Iterable[PersonName]
                ) -> tuple[StoryProblem, ...]:
    """Return every problem of every part (``{"pseudonym": ..., "body:en": ...}``)."""
    people = list(names)
    return tuple(p for part, text in parts.items() for p in check_text(part, text, people))


def publication_problems(parts: Mapping[str, str], names: Iterable[PersonName],
                         ticked: Iterable[str], languages: Sequence[str]
                         ) -> tuple[StoryProblem, ...]:
    """Everything that stops a story from leaving the coordinator: the text's problems,
    each checklist box not ticked, and no language with text at all."""
    problems = list(check_story(parts, names))
    done = set(ticked)
    problems += [StoryProblem(ProblemCode.UNTICKED, "checklist", item.value)
                 for item in ChecklistItem if item.value not in done]
    if not languages:
        problems.append(StoryProblem(ProblemCode.NO_TEXT, "texts", ""))
    return tuple(problems)


def content_hash(*, pseudonym: str, country: str, texts: Mapping[str, tuple[str, str]],
                 media: Iterable[Mapping[str, object]]) -> str:
    """The SHA-256 (hex) of everything the family approves: pseudonym, country, each
    language's title and body, and each medium's source, crop, blur and alt text.

    An approval stores this hash; any later edit changes it, so the approval no longer
    stands and the story goes back to the family.
    """
    payload = {
        "pseudonym": pseudonym, "country": country,
        "texts": {lang: list(pair) for lang, pair in sorted(texts.items())},
        "media": list(media),
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


#: Box limits of a crop or a blur region, in percent of the picture's width or height.
PERCENT_MAX: Final = 100.0


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in percent of the picture: left, top, width, height (0–100)."""

    left: float
    top: float
    width: float
    height: float

    def problems(self) -> tuple[str, ...]:
        """Codes of what is wrong with the box (empty when it fits in the picture)."""
        found = []
        if min(self.left, self.top) < 0 or min(self.width, self.height) <= 0:
            found.append("box-negative")
        if self.left + self.width > PERCENT_MAX or self.top + self.height > PERCENT_MAX:
            found.append("box-outside")
        return tuple(found)

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """The box in pixels of a ``width`` × ``height`` picture: (left, top, right, bottom),
        at least one pixel wide and high."""
        left = round(self.left * width / PERCENT_MAX)
        top = round(self.top * height / PERCENT_MAX)
        right = max(left + 1, min(width, round((self.left + self.width) * width / PERCENT_MAX)))
        bottom = max(top + 1, min(height, round((self.top + self.height) * height / PERCENT_MAX)))
        return left, top, right, bottom
