"""Clinical-trial registration identifiers: which registry issued one, and is it well formed.

Investigational treatments (cell therapy for CP) may be offered only inside a registered
trial (ISSCR Guidelines 2021, recommendation 3.1.1), so Stride checks the trial id a family
or a team gives. The check is about *form* only: a well-formed id can still name a trial
that does not exist or does not recruit; that is for the team to confirm in the registry.

Accepted forms (a value is stripped of surrounding white space; registry prefixes are
matched without regard to case and returned in their canonical spelling):

``clinicaltrials-gov``
    ``NCT`` followed by 8 digits, e.g. ``NCT00000419``. Defined by ClinicalTrials.gov's
    glossary entry "ClinicalTrials.gov Identifier (NCT Number)":
    https://clinicaltrials.gov/ct2/help/glossary/ct-identifier-nct ("the format is "NCT"
    followed by an 8-digit number").
``chictr``
    Chinese Clinical Trial Registry. Current form: ``ChiCTR`` followed by 10 digits, e.g.
    ``ChiCTR2000029953`` (as ChiCTR issues them and WHO ICTRP lists them). Older form
    (until about 2017): ``ChiCTR-<study-type code>-`` followed by 8 digits, e.g.
    ``ChiCTR-TRC-10000864``, where the study-type code is a few capital letters such as
    TRC (therapy RCT), DT, TNC, TNRC, PRC, IOR, INR: WHO ICTRP registry profile of ChiCTR,
    "Primary Registry and Trial Identifying Number"
    (http://www.who.int/ictrp/network/chictr2/en/index1.html).
``isrctn``
    ``ISRCTN`` followed by 8 digits, with no space, e.g. ``ISRCTN12345678``: ISRCTN
    guidance notes ("a randomly generated, 8-digit number, prefixed by the code ISRCTN";
    "no space is inserted between the ISRCTN and the actual number"),
    http://www.controlled-trials.com/isrctn/sample_documentation.
``eudract``
    EudraCT number ``YYYY-NNNNNN-CC`` (year of issue, six-digit sequence, check digits),
    e.g. ``2008-005144-16``; issued from 2004 (EudraCT opened on 1 May 2004): EMA EudraCT
    supporting documentation, as quoted by the EU Clinical Trials Register and
    https://www.ct-toolkit.ac.uk/routemap/eudract-number/. The check-digit algorithm is not
    published there, so the check digits are not verified.
``eu-ctis``
    EU CT number from the Clinical Trials Information System (Regulation (EU) No 536/2014),
    ``YYYY-5NNNNN-NN-NN``, e.g. ``2025-523586-18-00``, issued from the system's launch on
    31 January 2022 (HL7 terminology NamingSystem "CTIS", publisher EMA,
    http://terminology.hl7.org/NamingSystem/CTIS; example from a published CTIS record).
    The EMA text that defines each part was not found; only the shape is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from stride.core.errors import InvalidValue


class TrialRegistry(StrEnum):
    """A trial registry whose identifiers Stride recognises; the value is the stored code."""

    CLINICALTRIALS_GOV = "clinicaltrials-gov"
    CHICTR = "chictr"
    ISRCTN = "isrctn"
    EUDRACT = "eudract"
    EU_CTIS = "eu-ctis"


@dataclass(frozen=True, slots=True)
class TrialRegistration:
    """A well-formed trial identifier and the registry that issued it.

    Attributes
    ----------
    registry
        The issuing registry.
    trial_id
        The identifier in its canonical spelling (``NCT01234567``, ``ChiCTR2000029953``).
    """

    registry: TrialRegistry
    trial_id: str

    def __str__(self) -> str:
        return self.trial_id


#: Earliest year of issue: EudraCT opened on 1 May 2004; CTIS launched on 31 January 2022.
_EUDRACT_FIRST_YEAR: Final = 2004
_CTIS_FIRST_YEAR: Final = 2022

# ASCII only: ``\d`` would otherwise accept digits of other scripts.
_PREFIXED = re.ASCII | re.IGNORECASE
_NCT = re.compile(r"NCT(?P<digits>\d{8})", _PREFIXED)
_CHICTR = re.compile(r"CHICTR(?P<digits>\d{10})", _PREFIXED)
_CHICTR_OLD = re.compile(r"CHICTR-(?P<kind>[A-Z]{1,5})-(?P<digits>\d{8})", _PREFIXED)
_ISRCTN = re.compile(r"ISRCTN(?P<digits>\d{8})", _PREFIXED)
_EUDRACT = re.compile(r"(?P<year>\d{4})-\d{6}-\d{2}", re.ASCII)
_EU_CTIS = re.compile(r"(?P<year>\d{4})-5\d{5}-\d{2}-\d{2}", re.ASCII)

#: The accepted forms, worded for messages.
ACCEPTED_FORMS: Final = (
    "ClinicalTrials.gov NCT + 8 digits",
    "ChiCTR + 10 digits or ChiCTR-XXX- + 8 digits",
    "ISRCTN + 8 digits",
    "EudraCT YYYY-NNNNNN-CC",
    "EU CTIS YYYY-5NNNNN-NN-NN",
)


def parse_trial_registration(value: str, *, field: str = "trial_registration") -> TrialRegistration:
    """Return the registry and canonical identifier of a trial id such as ``NCT01234567``.

    Parameters
    ----------
    value
        The identifier as typed; surrounding white space is ignored and registry prefixes
        may be in any case (``nct01234567``).
    field
        The field name used in the error message.

    Returns
    -------
    TrialRegistration
        The issuing registry and the identifier in its canonical spelling.

    Raises
    ------
    InvalidValue
        If ``value`` has none of the accepted forms (the message lists them), or names a
        year before its registry existed.
    """
    text = value.strip()
    registration = _match(text)
    if registration is None:
        raise InvalidValue(field, value, ACCEPTED_FORMS)
    return registration


def _match(text: str) -> TrialRegistration | None:
    if match := _NCT.fullmatch(text):
        return TrialRegistration(TrialRegistry.CLINICALTRIALS_GOV, f"NCT{match['digits']}")
    if match := _CHICTR.fullmatch(text):
        return TrialRegistration(TrialRegistry.CHICTR, f"ChiCTR{match['digits']}")
    if match := _CHICTR_OLD.fullmatch(text):
        return TrialRegistration(
            TrialRegistry.CHICTR, f"ChiCTR-{match['kind'].upper()}-{match['digits']}"
        )
    if match := _ISRCTN.fullmatch(text):
        return TrialRegistration(TrialRegistry.ISRCTN, f"ISRCTN{match['digits']}")
    if (match := _EU_CTIS.fullmatch(text)) and int(match["year"]) >= _CTIS_FIRST_YEAR:
        return TrialRegistration(TrialRegistry.EU_CTIS, text)
    if (match := _EUDRACT.fullmatch(text)) and int(match["year"]) >= _EUDRACT_FIRST_YEAR:
        return TrialRegistration(TrialRegistry.EUDRACT, text)
    return None
