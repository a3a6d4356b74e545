"""Reads for the public pages: what each page shows, in the reader's language.

Every programme text is entered per language. :func:`pick_text` chooses the reader's
language, else the programme's language, else English, else whatever language the text
has; an item shown in another language than the reader's carries that language, so the
page can say "not yet translated into ..." and mark the passage with its ``lang``.
Nothing here reads patient data: the pages are public and not audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Model, Prefetch

from stride.core.contact import PhoneLine, map_search_link, phone_line, whatsapp_link
from stride.core.roles import CARE_TEAM_ROLES
from stride.web.accounts.models import User
from stride.web.platform.models import ProgrammeProfile
from stride.web.platform.names import country_name
from stride.web.site.models import (
    CostRange,
    CostRangeText,
    Question,
    QuestionText,
    StaffBiography,
    StaffProfile,
    TravelHelp,
    TravelHelpText,
)

#: A text row: any model with a ``language`` column (read with ``getattr``: the Django
#: stubs give a model's column a descriptor type no protocol matches).
X = TypeVar("X", bound=Model)
_LANGUAGE = "language"

#: Right-to-left languages among the site's (a passage in one gets ``dir="rtl"``).
RTL_LANGUAGES = frozenset(settings.LANGUAGES_BIDI)


@dataclass(frozen=True)
class Picked(Generic[X]):
    """A text row chosen for the reader, with the language it is in.

    ``fallback`` is true when that is not the reader's language (the page says so).
    """

    text: X
    language: str
    fallback: bool

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``: the direction of the passage's own language."""
        return "rtl" if self.language in RTL_LANGUAGES else "ltr"


def _base(language: str) -> str:
    return (language or "").lower()


def pick_text(texts: Iterable[X], language: str,
              programme_language: str = "") -> Picked[X] | None:
    """The text in ``language``; else the programme's language, English, the site's
    default, then the first language of the site that has one; ``None`` without any."""
    by_language = {_base(str(getattr(text, _LANGUAGE))): text for text in texts}
    if not by_language:
        return None
    wanted = _base(language)
    order = [wanted, _base(programme_language), "en", _base(settings.LANGUAGE_CODE),
             *(_base(code) for code, _name in settings.LANGUAGES), *sorted(by_language)]
    for code in order:
        if code and code in by_language:
            return Picked(text=by_language[code], language=code, fallback=code != wanted)
    return None  # pragma: no cover - the last entries of ``order`` are the keys themselves


def programme_language(profile: ProgrammeProfile | None) -> str:
    """The programme's own language (the fallback for untranslated texts): its profile's,
    or the site's default language without a profile."""
    return (profile.language if profile is not None and profile.language
            else settings.LANGUAGE_CODE)


# --- Contact ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    """What the contact page shows; empty fields are left out of the page."""

    name: str
    phones: list[PhoneLine]
    whatsapp: str
    whatsapp_link: str
    email: str
    website: str
    address_lines: list[str]
    country: str
    map_link: str
    is_synthetic: bool

    @property
    def has_details(self) -> bool:
        """Whether there is anything to contact the programme by."""
        return bool(self.phones or self.whatsapp or self.email or self.address_lines)


def contact(profile: ProgrammeProfile | None) -> Contact | None:
    """The programme's contact details from its profile, or ``None`` without a profile."""
    if profile is None:
        return None
    address = profile.lines("address")
    # The map search is asked in English: the map service finds places by it everywhere.
    place = country_name(profile.country, "en") if profile.country else ""
    return Contact(
        name=profile.display_name,
        phones=[phone_line(line) for line in profile.lines("phones")],
        whatsapp=profile.whatsapp.strip(), whatsapp_link=whatsapp_link(profile.whatsapp),
        email=profile.email, website=profile.website, address_lines=address,
        country=profile.country, map_link=map_search_link(address, place),
        is_synthetic=profile.is_synthetic,
    )


# --- Team -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamMember:
    name: str
    #: The role in the reader's language when written in it, else the profile's role.
    role_title: str
    photo: str
    biography: Picked[StaffBiography] | None

    @property
    def biography_text(self) -> str:
        return self.biography.text.text if self.biography is not None else ""


def _member(profile: StaffProfile, language: str, fallback_language: str) -> TeamMember:
    texts = list(profile.biographies.all())
    own = next((text for text in texts if _base(text.language) == _base(language)
                and text.role_title), None)
    # The biography: only rows with a text (a row may hold a role alone).
    biography = pick_text([text for text in texts if text.text.strip()], language,
                          fallback_language)
    return TeamMember(name=profile.display_name,
                      role_title=own.role_title if own is not None else profile.role_title,
                      photo=profile.photo_data_uri, biography=biography)


def public_profiles() -> Sequence[StaffProfile]:
    """Profiles that may be shown now: consent given and not withdrawn, an active account
    in a care-team role. Read afresh on each request, so a withdrawal shows at once."""
    return list(StaffProfile.objects
                .filter(consented_at__isnull=False, consent_withdrawn_at__isnull=True,
                        user__is_active=True,
                        user__role__in=[role.value for role in CARE_TEAM_ROLES])
                .exclude(display_name="")
                .select_related("user")
                .prefetch_related("biographies")
                .order_by("display_name", "id"))


def team(language: str, fallback_language: str) -> list[TeamMember]:
    """The public team page's people, each biography in the reader's language if written."""
    return [_member(profile, language, fallback_language) for profile in public_profiles()]


def own_profile(user: User) -> StaffProfile | None:
    """The user's own public profile, or ``None`` if they have not made one."""
    return (StaffProfile.objects.filter(user=user).prefetch_related("biographies").first())


# --- Questions ----------------------------------------------------------------------------

def questions(language: str, fallback_language: str) -> list[Picked[QuestionText]]:
    """The published questions in order, each in the reader's language when it has it."""
    entries = (Question.objects.filter(published=True)
               .prefetch_related(Prefetch("texts", queryset=QuestionText.objects.all())))
    shown = [pick_text(entry.texts.all(), language, fallback_language) for entry in entries]
    return [picked for picked in shown if picked is not None]


def any_synthetic_questions() -> bool:
    return Question.objects.filter(published=True, is_synthetic=True).exists()


# --- Costs --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShownCost:
    programme: str
    currency: str
    low: Decimal
    high: Decimal
    valid_from: date
    is_synthetic: bool
    text: Picked[CostRangeText] | None


@dataclass
class ProgrammeCosts:
    programme: str
    label: str
    ranges: list[ShownCost] = field(default_factory=list)


def costs(language: str, fallback_language: str) -> list[ProgrammeCosts]:
    """The published cost ranges grouped by programme, in the models' programme order."""
    groups: dict[str, ProgrammeCosts] = {}
    rows = CostRange.objects.filter(published=True).prefetch_related("texts")
    for row in rows:
        group = groups.setdefault(row.programme, ProgrammeCosts(
            programme=row.programme, label=str(row.get_programme_display())))
        group.ranges.append(ShownCost(
            programme=row.programme, currency=row.currency, low=row.low, high=row.high,
            valid_from=row.valid_from, is_synthetic=row.is_synthetic,
            text=pick_text(row.texts.all(), language, fallback_language)))
    order = [code for code, _label in CostRange._meta.get_field("programme").choices or ()]
    return sorted(groups.values(), key=lambda group: order.index(group.programme)
                  if group.programme in order else len(order))


# --- Travel -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ShownTravelHelp:
    topic: str
    is_synthetic: bool
    text: Picked[TravelHelpText]


def travel_help(language: str, fallback_language: str) -> list[ShownTravelHelp]:
    """The published travel help sections in order, each in the reader's language if
    written (a section without any text is left out)."""
    shown: list[ShownTravelHelp] = []
    for section in TravelHelp.objects.filter(published=True).prefetch_related("texts"):
        picked = pick_text(section.texts.all(), language, fallback_language)
        if picked is not None:
            shown.append(ShownTravelHelp(topic=section.topic,
                                         is_synthetic=section.is_synthetic, text=picked))
    return shown
