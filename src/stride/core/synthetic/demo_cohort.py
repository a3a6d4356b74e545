"""A seeded generator of synthetic children, guardians and cases for the demo.

Everything here is invented. Family names carry a ``Demo-`` prefix and a number, e-mail
addresses use the reserved ``.invalid`` top-level domain (RFC 2606) and telephone numbers
use the +99 prefix that no country has, so nobody can mistake a demo record for a real one.
The same seed always gives the same records, which is what makes loading the demo twice
harmless: the loader skips records whose reference already exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from stride.core.consents import ConsentKind
from stride.core.pathway import STAGE_ORDER, Programme, Stage, path_to

#: Given names used for synthetic children and guardians (common in the countries served).
_CHILD_NAMES = (
    "Mila", "Omar", "Lina", "Ivan", "Mei", "Yusuf", "Sofia", "Chen", "Aisha", "Nikolai",
    "Elena", "Karim", "Hana", "Boris", "Lea", "Tariq", "Anya", "Wei", "Noor", "Petar",
)
_GUARDIAN_NAMES = (
    "Maria", "Ahmed", "Olga", "Li", "Fatima", "Georgi", "Anna", "Hassan", "Irina", "Jun",
)
#: (country code, preferred language code) pairs; languages are those Stride is built for.
_COUNTRIES = (
    ("BG", "bg"), ("SA", "ar"), ("CN", "zh-hans"), ("RU", "ru"), ("AE", "ar"),
    ("GB", "en"), ("KZ", "ru"), ("EG", "ar"), ("US", "en"), ("DE", "en"),
)
_RELATIONSHIPS = ("mother", "father", "grandparent", "legal-guardian")
_SEXES = ("female", "male")
#: Stages a synthetic case leaves the main line from, for declined and withdrawn cases.
_DECLINE_FROM = (Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION)
_WITHDRAW_FROM = (*_DECLINE_FROM, Stage.SCHEDULED, Stage.TREATMENT)


@dataclass(frozen=True, slots=True)
class SyntheticGuardian:
    """One synthetic guardian of a synthetic child."""

    given_name: str
    family_name: str
    relationship: str
    email: str
    phone: str
    preferred_language: str


@dataclass(frozen=True, slots=True)
class SyntheticChild:
    """One synthetic child with one case in one programme.

    ``stage_path`` lists the stages from ``inquiry`` to the case's current stage; the
    loader replays it through the normal services, and ``days_between_stages`` spaces them
    out in time (days) so the history looks like a real pathway.
    """

    reference: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    country: str
    languages: tuple[str, ...]
    guardian: SyntheticGuardian
    programme: Programme
    stage_path: tuple[Stage, ...]
    days_between_stages: int
    consents: tuple[ConsentKind, ...]

    @property
    def stage(self) -> Stage:
        """The case's current stage."""
        return self.stage_path[-1]


def generate_demo_cohort(count: int, *, seed: int, today: date) -> list[SyntheticChild]:
    """Return ``count`` synthetic children whose cases cover every stage.

    Parameters
    ----------
    count
        Number of children (one case each); at least the number of stages, so that every
        stage is represented.
    seed
        Seed of the pseudo-random generator; the same seed gives the same records.
    today
        The date the cohort is built around: children are aged 1 to 17 years on it.

    Returns
    -------
    list of SyntheticChild
        Ordered by reference, ``DEMO-00001`` first.
    """
    if count < len(STAGE_ORDER):
        raise ValueError(f"count must be at least {len(STAGE_ORDER)} so every stage appears")
    # random.Random is fine here: this is reproducible demo data, not anything secret.
    rng = random.Random(seed)  # noqa: S311
    children: list[SyntheticChild] = []
    for number in range(1, count + 1):
        target = STAGE_ORDER[(number - 1) % len(STAGE_ORDER)]
        leave_from = rng.choice(_WITHDRAW_FROM if target is Stage.WITHDRAWN else _DECLINE_FROM)
        country, language = rng.choice(_COUNTRIES)
        age_days = rng.randint(365, 17 * 365)
        family_name = f"Demo-{number:03d}"
        consents = [ConsentKind.DATA_PROCESSING, ConsentKind.CROSS_BORDER_TRANSFER]
        if rng.random() < 0.3:
            consents.append(ConsentKind.RESEARCH)
        children.append(
            SyntheticChild(
                reference=f"DEMO-{number:05d}",
                given_name=rng.choice(_CHILD_NAMES),
                family_name=family_name,
                date_of_birth=today - timedelta(days=age_days),
                sex=rng.choice(_SEXES),
                country=country,
                languages=(language,) if language == "en" else (language, "en"),
                guardian=SyntheticGuardian(
                    given_name=rng.choice(_GUARDIAN_NAMES),
                    family_name=family_name,
                    relationship=rng.choice(_RELATIONSHIPS),
                    email=f"guardian{number:03d}@demo.stride.invalid",
                    phone=f"+99 555 {number:04d}",
                    preferred_language=language,
                ),
                programme=rng.choice(tuple(Programme)),
                stage_path=path_to(target, leave_from=leave_from),
                days_between_stages=rng.randint(3, 40),
                consents=tuple(consents),
            )
        )
    return children

