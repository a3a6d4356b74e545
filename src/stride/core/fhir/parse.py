"""A FHIR R4 Bundle (a plain dict, as ``json.loads`` gives it) back into a child's record.

:func:`parse_bundle` reads what :mod:`stride.core.fhir.export` writes, and what a referring
hospital sends: at least Patient, Condition (cerebral palsy), Observation and
DocumentReference. It returns a :class:`ParsedBundle`: the
:class:`~stride.core.fhir.record.ChildRecord`, or — when anything is wrong — no record
and one :class:`EntryProblem` per problem (the entry's index, its type, what is wrong and
how to fix it), so a bad Bundle is refused as a whole and nothing half-read is stored.
Entries Stride does not import (a weight, a medication list, an Observation without a
Stride instrument code) are left out with an :class:`EntryNote` saying so.

Every entry is first validated against the FHIR R4 (4.0.1) models of ``fhir.resources``
(structure, data types, required elements); then the mapping checks what Stride needs.
Problems and notes carry a stable ``code`` beside their English text, so the web side can
word them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fhir.resources import construct_fhir_element  # type: ignore[import-untyped]
from pydantic import ValidationError

from stride.core.errors import InvalidValue
from stride.core.fhir import codes
from stride.core.fhir.record import (
    AdministrationData,
    AdverseEventData,
    CellTherapyData,
    ChildRecord,
    ComponentData,
    ConditionData,
    ConsentData,
    DocumentData,
    EncounterData,
    GuardianData,
    InjectionData,
    ObservationData,
    ObservationValue,
    PatientData,
    ProcedureData,
    RootletCountData,
)
from stride.core.treatment.episodes import SDR_ROOTS
from stride.core.trials import parse_trial_registration

Json = dict[str, Any]

#: The R4 specification page of a resource type, for the "how to fix" texts.
SPEC = "https://hl7.org/fhir/R4/{}.html"


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """One thing wrong with a Bundle.

    ``index`` is the position in ``Bundle.entry`` (``None`` for the Bundle itself),
    ``path`` the FHIR path of the bad element (``Patient.birthDate``), ``code`` a stable
    code of the kind of problem, ``problem`` and ``fix`` English sentences.
    """

    index: int | None
    resource_type: str
    code: str
    path: str
    problem: str
    fix: str

    @property
    def message(self) -> str:
        """What is wrong and how to fix it, in one English sentence pair."""
        return f"{self.path}: {self.problem} {self.fix}"

    def __str__(self) -> str:
        where = "Bundle" if self.index is None else f"entry {self.index} ({self.resource_type})"
        return f"{where}, {self.message}"


@dataclass(frozen=True, slots=True)
class EntryNote:
    """Something the import left out or filled, for the coordinator to see."""

    index: int | None
    resource_type: str
    code: str
    note: str


@dataclass(frozen=True, slots=True)
class ParsedBundle:
    """The result of :func:`parse_bundle`: a record, or problems and no record."""

    record: ChildRecord | None
    errors: tuple[EntryProblem, ...] = ()
    notes: tuple[EntryNote, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the Bundle was read (no problems, a record)."""
        return self.record is not None and not self.errors


class _Refused(Exception):
    """One problem with one entry, raised inside the mapping of that entry."""

    def __init__(self, code: str, path: str, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.code, self.path, self.problem, self.fix = code, path, problem, fix


# ------------------------------------------------------------------------- JSON access


def _obj(value: object) -> Json:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _codings(concept: object) -> Iterator[tuple[str, str]]:
    """``(system, code)`` of every coding of a CodeableConcept (or of a Coding)."""
    concept = _obj(concept)
    for coding in _list(concept.get("coding")) or ([concept] if "code" in concept else []):
        system, code = _str(_obj(coding).get("system")), _str(_obj(coding).get("code"))
        if system and code:
            yield system, code


def _stride(concept: object, group: str) -> str | None:
    """The value of the Stride code ``<group>:<value>`` in ``concept``, if any.

    A Stride code the CodeSystem does not define is refused (a value Stride cannot store).
    Component codes (``<instrument>:<part>``) may name a part the CodeSystem lacks: the
    export writes those as text, and :func:`_part_code` reads them.
    """
    for system, code in _codings(concept):
        if system == codes.STRIDE_SYSTEM and code.startswith(f"{group}:"):
            if code not in codes.STRIDE_CONCEPTS and group not in codes.INSTRUMENTS:
                raise _Refused("unknown-code", f"Coding {code}",
                               f"{code!r} is not a code of the Stride CodeSystem.",
                               f"Use a code of {codes.STRIDE_SYSTEM} (version "
                               f"{codes.STRIDE_SYSTEM_VERSION}).")
            return code[len(group) + 1:]
    return None


def _extensions(resource: Json, name: str) -> list[Json]:
    url = codes.extension_url(name)
    return [_obj(e) for e in _list(resource.get("extension")) if _obj(e).get("url") == url]


def _extension_value(resource: Json, name: str, key: str) -> Any:
    found = _extensions(resource, name)
    return found[0].get(key) if found else None


def _sub(extension: Json, url: str, key: str) -> Any:
    for part in _list(extension.get("extension")):
        if _obj(part).get("url") == url:
            return _obj(part).get(key)
    return None


def _date(value: object, path: str) -> date:
    """A full date (a dateTime gives its date), or refuse."""
    text = _str(value)
    if text is None:
        raise _Refused("missing-date", path, "The date is missing.",
                       f"Give {path} as a full date, YYYY-MM-DD.")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise _Refused("partial-date", path, f"The date {text!r} is not a full date.",
                       f"Give {path} as YYYY-MM-DD (a pseudonymised export, with year and "
                       "month only, cannot be imported).") from None


def _optional_date(value: object, path: str) -> date | None:
    return None if value is None else _date(value, path)


def _datetime(value: object, path: str) -> datetime:
    """A dateTime with a time zone; a date alone is refused (its time is not known)."""
    text = _str(value)
    if text is None:
        raise _Refused("missing-datetime", path, "The date and time are missing.",
                       f"Give {path} as a date and time with its time zone.")
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or len(text) <= 10 or when.tzinfo is None:
        raise _Refused("datetime-without-time", path,
                       f"{text!r} is not a date and time with a time zone.",
                       f"Give {path} as YYYY-MM-DDThh:mm:ss with the zone, e.g. "
                       "2024-01-05T09:30:00Z.")
    return when


def _reference_key(reference: object) -> str | None:
    """``Type/id`` of a reference (relative, absolute or as a full URL)."""
    text = _str(_obj(reference).get("reference"))
    if not text:
        return None
    parts = text.rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else text


def _decimal(value: object, path: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _Refused("not-a-number", path, f"{value!r} is not a number.",
                       f"Give {path} as a number.") from None


def _value(element: Json, path: str) -> tuple[ObservationValue | None, str | None]:
    """``(value, unit)`` of an element's ``value[x]`` (``(None, None)`` when absent)."""
    if "valueInteger" in element:
        value = element["valueInteger"]
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Refused("not-an-integer", f"{path}.valueInteger",
                           f"{value!r} is not an integer.", "Give a whole number.")
        return value, None
    if "valueQuantity" in element:
        quantity = _obj(element["valueQuantity"])
        unit = _str(quantity.get("code")) or _str(quantity.get("unit"))
        return _decimal(quantity.get("value"), f"{path}.valueQuantity.value"), unit
    if "valueString" in element:
        return str(element["valueString"]), None
    kinds = sorted(key for key in element if key.startswith("value"))
    if kinds:
        raise _Refused("unsupported-value", f"{path}.{kinds[0]}",
                       f"Stride does not read {kinds[0]} for this measure.",
                       "Give the value as valueInteger, valueQuantity or valueString.")
    return None, None


def _side(body_site: object, path: str) -> str:
    laterality = _extension_value(_obj(body_site), "laterality", "valueCodeableConcept")
    for system, code in _codings(laterality):
        for side, (snomed, _display) in codes.SNOMED_LATERALITY.items():
            if system == codes.SNOMED and code == snomed:
                return side
    raise _Refused("missing-laterality", f"{path}.bodySite",
                   "The body site does not say left or right.",
                   "Add the laterality extension with SNOMED CT 7771000 (left) or 24028007 "
                   "(right).")


def _language_code(concept: object) -> str | None:
    for system, code in _codings(concept):
        if system == codes.BCP47:
            return code.lower()
    return None


# ----------------------------------------------------------------------------- the reader


@dataclass
class _Entry:
    index: int
    rtype: str
    resource: Json
    used: bool = False


@dataclass
class _Reader:
    entries: list[_Entry]
    errors: list[EntryProblem] = field(default_factory=list)
    notes: list[EntryNote] = field(default_factory=list)
    by_key: dict[str, _Entry] = field(default_factory=dict)
    patient_key: str | None = None
    condition_seen: bool = False

    def problem(self, entry: _Entry | None, code: str, path: str, problem: str,
                fix: str) -> None:
        self.errors.append(EntryProblem(None if entry is None else entry.index,
                                        "Bundle" if entry is None else entry.rtype,
                                        code, path, problem, fix))

    def note(self, entry: _Entry, code: str, note: str) -> None:
        self.notes.append(EntryNote(entry.index, entry.rtype, code, note))

    def of_type(self, rtype: str) -> list[_Entry]:
        return [entry for entry in self.entries if entry.rtype == rtype and not entry.used]

    def each(self, rtype: str, read: Callable[[_Entry], Any]) -> list[Any]:
        """Apply ``read`` to every unused entry of ``rtype``; a refusal becomes a problem;
        ``None`` means "not Stride's" (noted by ``read``)."""
        results = []
        for entry in self.of_type(rtype):
            try:
                result = read(entry)
            except _Refused as refused:
                self.problem(entry, refused.code, refused.path, refused.problem, refused.fix)
                result = None
            entry.used = True
            if result is not None:
                results.append(result)
        return results

    def resolve(self, reference: object) -> _Entry | None:
        """The entry a Reference points to: by full URL (``urn:uuid:…``, absolute) or by
        ``Type/id``; ``None`` when it is not in the Bundle."""
        text = _str(_obj(reference).get("reference"))
        if not text:
            return None
        return self.by_key.get(text) or self.by_key.get(_reference_key(reference) or "")

    def key_of(self, reference: object) -> str | None:
        """``Type/id`` of the entry ``reference`` points to, or ``None``."""
        target = self.resolve(reference)
        return None if target is None else f"{target.rtype}/{target.resource['id']}"

    def check_subject(self, entry: _Entry, element: str) -> None:
        """Refuse an entry whose subject/patient is not the Bundle's Patient."""
        key = self.key_of(entry.resource.get(element))
        if key is None or key != self.patient_key:
            shown = _str(_obj(entry.resource.get(element)).get("reference"))
            raise _Refused(
                "other-patient", f"{entry.rtype}.{element}",
                f"It refers to {shown or 'no patient'}, not to this Bundle's Patient.",
                f"Point {entry.rtype}.{element} at the Patient in the Bundle "
                f"({self.patient_key}): one Bundle holds one child's record.")

    def local_id(self, entry: _Entry) -> str:
        return f"{entry.rtype}/{entry.resource.get('id', entry.index)}"

    def ignore(self, entry: _Entry, why: str) -> None:
        self.note(entry, "not-imported", f"{entry.rtype} not imported: {why}")


def _validate(index: int, raw: object, reader: _Reader) -> _Entry | None:
    """Validate one entry against the R4 models; record problems, return the entry."""
    entry = _obj(raw)
    resource = entry.get("resource")
    if not isinstance(resource, dict):
        reader.problem(None, "entry-without-resource", f"Bundle.entry[{index}]",
                       f"Entry {index} has no resource.",
                       "Give every entry a resource, or remove the empty entry.")
        return None
    rtype = _str(resource.get("resourceType")) or "?"
    try:
        construct_fhir_element(rtype, resource)
    except LookupError:
        reader.errors.append(EntryProblem(
            index, rtype, "unknown-resource-type", "resourceType",
            f"{rtype!r} is not a FHIR R4 resource type.",
            "Use an R4 resource type, e.g. Patient, Condition, Observation."))
        return None
    except ValidationError as invalid:
        for error in invalid.errors():
            path = ".".join(str(part) for part in (rtype, *error["loc"]) if part != "__root__")
            reader.errors.append(EntryProblem(
                index, rtype, "invalid-fhir", path, f"{error['msg']}.",
                f"Correct {path} to a valid FHIR R4 value (see {SPEC.format(rtype.lower())})."))
        return None
    if not _str(resource.get("id")):
        reader.errors.append(EntryProblem(
            index, rtype, "missing-id", f"{rtype}.id", "The resource has no id.",
            "Give every resource an id, so that references between entries resolve."))
        return None
    return _Entry(index, rtype, resource)


def parse_bundle(bundle: object) -> ParsedBundle:
    """Read a FHIR R4 Bundle into a :class:`ChildRecord`, or say everything wrong with it.

    Returns
    -------
    ParsedBundle
        ``record`` with ``notes`` (what was left out or needs the coordinator) when the
        Bundle is good; ``record=None`` and every problem in ``errors`` otherwise.
    """
    reader = _Reader(entries=[])
    shell = _obj(bundle)
    if shell.get("resourceType") != "Bundle":
        reader.problem(None, "not-a-bundle", "resourceType", "This is not a FHIR Bundle.",
                       'Send one Bundle resource ("resourceType": "Bundle").')
        return ParsedBundle(None, tuple(reader.errors))
    raw_entries = shell.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        reader.problem(None, "empty-bundle", "Bundle.entry", "The Bundle has no entries.",
                       "Put the child's Patient and records in Bundle.entry.")
        return ParsedBundle(None, tuple(reader.errors))
    for index, raw in enumerate(raw_entries):
        entry = _validate(index, raw, reader)
        if entry is not None:
            reader.entries.append(entry)
            reader.by_key[f"{entry.rtype}/{entry.resource['id']}"] = entry
            full_url = _str(_obj(raw).get("fullUrl"))
            if full_url:
                reader.by_key[full_url] = entry
    if reader.errors:
        # Structure first: mapping a resource that is not valid FHIR says little more.
        return ParsedBundle(None, tuple(reader.errors))
    record = _read_record(reader)
    if reader.errors or record is None:
        return ParsedBundle(None, tuple(reader.errors), tuple(reader.notes))
    return ParsedBundle(record, (), tuple(reader.notes))


def _read_record(reader: _Reader) -> ChildRecord | None:
    patients = reader.of_type("Patient")
    if not patients:
        reader.problem(None, "no-patient", "Bundle.entry", "The Bundle has no Patient.",
                       "Add the child's Patient resource.")
        return None
    for extra in patients[1:]:
        reader.problem(extra, "second-patient", "Patient",
                       "The Bundle has more than one Patient.",
                       "Send one Bundle per child, with one Patient.")
    first = patients[0]
    reader.patient_key = f"Patient/{first.resource['id']}"
    try:
        patient = _patient(reader, first)
    except _Refused as refused:
        reader.problem(first, refused.code, refused.path, refused.problem, refused.fix)
        return None
    first.used = True
    for extra in patients[1:]:
        extra.used = True
    guardians = tuple(reader.each("RelatedPerson", lambda e: _guardian(reader, e)))
    conditions = reader.each("Condition", lambda e: _condition(reader, e))
    members = {reader.key_of(member) for entry in reader.of_type("Observation")
               for member in _list(entry.resource.get("hasMember"))}
    observations = tuple(reader.each(
        "Observation", lambda e: _observation(reader, e, members)))
    procedures = tuple(reader.each("Procedure", lambda e: _procedure(reader, e)))
    # Only procedures read (not those left out) are episodes an adverse event belongs to.
    read_ids = {procedure.local_id for procedure in procedures}
    episodes: dict[str, str] = {f"Procedure/{entry.resource['id']}": reader.local_id(entry)
                                for entry in reader.entries
                                if entry.rtype == "Procedure" and entry.used
                                and reader.local_id(entry) in read_ids}
    courses = tuple(reader.each("ResearchSubject", lambda e: _course(reader, e, episodes)))
    for rtype in ("ResearchStudy", "MedicationAdministration"):
        for entry in reader.of_type(rtype):
            entry.used = True
            reader.ignore(entry, "it belongs to no Stride cell-therapy course.")
    adverse_events = tuple(reader.each("AdverseEvent",
                                       lambda e: _adverse_event(reader, e, episodes)))
    consents = tuple(reader.each("Consent", lambda e: _consent(reader, e)))
    encounters = tuple(reader.each("Encounter", lambda e: _encounter(reader, e)))
    documents = tuple(reader.each("DocumentReference", lambda e: _document(reader, e)))
    for entry in reader.entries:
        if entry.used:
            continue
        entry.used = True
        if entry.rtype == "CodeSystem" and entry.resource.get("url") == codes.STRIDE_SYSTEM:
            continue  # Stride's own CodeSystem travels with its exports
        reader.ignore(entry, "Stride imports Patient, RelatedPerson, Condition, Observation, "
                             "Procedure, cell therapy, AdverseEvent, Consent, Encounter and "
                             "DocumentReference.")
    return ChildRecord(
        patient=patient, guardians=guardians,
        condition=conditions[0] if conditions else None, observations=observations,
        procedures=procedures, cell_therapies=courses, adverse_events=adverse_events,
        consents=consents, encounters=encounters, documents=documents)


# ---------------------------------------------------------------------- resource readers


def _patient(reader: _Reader, entry: _Entry) -> PatientData:
    resource = entry.resource
    local_id = reader.local_id(entry)
    sources: list[tuple[str, str]] = []
    for identifier in map(_obj, _list(resource.get("identifier"))):
        system, value = _str(identifier.get("system")), _str(identifier.get("value"))
        kind = _stride(identifier.get("type"), "identifier")
        if kind == "patient" and value:
            local_id = value
        elif kind == "pseudonym":
            continue
        elif system and value:
            sources.append((system, value))
    names = [_obj(name) for name in _list(resource.get("name"))]
    official = [name for name in names if name.get("use") == "official"] or names
    given = " ".join(str(part) for part in _list(official[0].get("given"))) if official else ""
    family = (_str(official[0].get("family")) or "") if official else ""
    if not given or not family:
        raise _Refused("missing-name", "Patient.name", "The child's given or family name is "
                       "missing.", "Give Patient.name with family and given (a pseudonymised "
                       "export has no name and cannot be imported).")
    birth = _date(resource.get("birthDate"), "Patient.birthDate")
    if len(str(resource.get("birthDate"))) != 10:
        raise _Refused("partial-date", "Patient.birthDate", "The birth date is not a full "
                       "date.", "Give Patient.birthDate as YYYY-MM-DD.")
    sex = _str(resource.get("gender")) or "unknown"
    if sex == "unknown":
        reader.note(entry, "sex-unknown", "The Bundle does not give the child's sex: the "
                    "coordinator records it.")
    country = ""
    for address in map(_obj, _list(resource.get("address"))):
        country = _str(address.get("country")) or ""
        if country:
            break
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise _Refused("country-not-iso", "Patient.address.country",
                       f"{country!r} is not an ISO 3166-1 alpha-2 country code.",
                       "Give the country as two letters, e.g. BG or DE.")
    if not country:
        reader.note(entry, "country-missing", "The Bundle does not give the child's country: "
                    "the coordinator records it.")
    languages = tuple(code for code in (_language_code(_obj(c).get("language"))
                                        for c in _list(resource.get("communication"))) if code)
    synthetic = any(code == "synthetic-record" for system, code in _codings(
        {"coding": _list(_obj(resource.get("meta")).get("tag"))})
        if system == codes.STRIDE_SYSTEM)
    return PatientData(local_id=local_id, given_name=given, family_name=family,
                       birth_date=birth, sex=sex, country=country.upper(),
                       languages=languages, is_synthetic=synthetic,
                       source_identifiers=tuple(sources))


def _guardian(reader: _Reader, entry: _Entry) -> GuardianData:
    resource = entry.resource
    reader.check_subject(entry, "patient")
    relationship = _stride(_list(resource.get("relationship"))[:1][0]
                           if resource.get("relationship") else None, "relationship")
    if relationship is None:
        by_role = {role: stored for stored, role in codes.V3_RELATIONSHIP.items()}
        relationship = "other"
        for concept in _list(resource.get("relationship")):
            for system, code in _codings(concept):
                if system == codes.V3_ROLE_CODE and code in by_role:
                    relationship = by_role[code]
    names = [_obj(name) for name in _list(resource.get("name"))]
    given = " ".join(str(part) for part in _list(names[0].get("given"))) if names else ""
    family = (_str(names[0].get("family")) or "") if names else ""
    if not given or not family:
        raise _Refused("missing-name", "RelatedPerson.name", "The guardian's given or family "
                       "name is missing.", "Give RelatedPerson.name with family and given.")
    telecom = [_obj(t) for t in _list(resource.get("telecom"))]
    phone = next((_str(t.get("value")) or "" for t in telecom if t.get("system") == "phone"), "")
    email = next((_str(t.get("value")) or "" for t in telecom if t.get("system") == "email"), "")
    languages = [_obj(c) for c in _list(resource.get("communication"))]
    preferred = [c for c in languages if c.get("preferred")] or languages
    language = (_language_code(preferred[0].get("language")) or "") if preferred else ""
    return GuardianData(local_id=reader.local_id(entry), relationship=relationship,
                        given_name=given, family_name=family, phone=phone, email=email,
                        preferred_language=language)


def _condition(reader: _Reader, entry: _Entry) -> ConditionData | None:
    resource = entry.resource
    found = list(_codings(resource.get("code")))
    icd10 = next((code for system, code in found
                  if system == codes.ICD10 and code.upper().startswith("G80")), None)
    icd11 = next((code for system, code in found
                  if system == codes.ICD11 and code.upper().startswith("8D2")), None)
    subtype = _stride(resource.get("code"), "scpe")
    snomed = any(system == codes.SNOMED and code == codes.SNOMED_CEREBRAL_PALSY
                 for system, code in found)
    if not (icd10 or icd11 or subtype or snomed):
        reader.ignore(entry, "it is not cerebral palsy (no SNOMED CT 128188000, ICD-10 G80 or "
                             "ICD-11 8D2x code); the coordinator can read it in the sender's "
                             "letter.")
        return None
    reader.check_subject(entry, "subject")
    if reader.condition_seen:
        reader.note(entry, "second-condition",
                    "A second cerebral-palsy Condition was left out: the first is kept.")
        return None
    reader.condition_seen = True
    secondary = tuple(value for value in (
        _stride(e.get("valueCoding"), "motor-type")
        for e in _extensions(resource, "secondary-motor-type")) if value)
    distribution = _stride(_extension_value(resource, "bilateral-distribution", "valueCoding"),
                           "distribution")
    return ConditionData(
        local_id=reader.local_id(entry), scpe_subtype=subtype,
        secondary_motor_types=secondary, bilateral_distribution=distribution,
        icd10=icd10, icd11=icd11,
        recorded_on=_optional_date(resource.get("recordedDate"), "Condition.recordedDate"))


def _part_code(instrument: str, concept: object, path: str) -> str:
    """The part of ``<instrument>:<part>`` (a Stride code, or the text of an uncoded one)."""
    part = _stride(concept, instrument)
    if part is None:
        text = _str(_obj(concept).get("text")) or ""
        if text.startswith(f"{instrument}:"):
            part = text[len(instrument) + 1:]
    if not part:
        raise _Refused("unknown-part", path, f"The part of this {instrument} result is not "
                       "named.", f"Code it as {instrument}:<part> in the Stride CodeSystem.")
    return part


def _observation(reader: _Reader, entry: _Entry, members: set[str | None]) -> Any:
    resource = entry.resource
    key = f"Observation/{resource['id']}"
    if key in members:
        return None  # read with its panel
    instrument = _stride(resource.get("code"), "instrument")
    if instrument is None or instrument not in codes.INSTRUMENTS:
        concept = _obj(resource.get("code"))
        shown = _str(concept.get("text")) or ", ".join(
            f"{system} {code}" for system, code in _codings(concept)) or "no code"
        reader.ignore(entry, f"{shown} is not a measure Stride records; the coordinator can "
                             "enter it by hand.")
        return None
    reader.check_subject(entry, "subject")
    if resource.get("status") in ("entered-in-error", "cancelled"):
        reader.ignore(entry, f"its status is {resource.get('status')}.")
        return None
    effective = _date(resource.get("effectiveDateTime"), "Observation.effectiveDateTime")
    value, unit = _value(resource, "Observation")
    parts: list[ComponentData] = []
    for index, component in enumerate(map(_obj, _list(resource.get("component")))):
        path = f"Observation.component[{index}]"
        part_value, part_unit = _value(component, path)
        if part_value is None:
            raise _Refused("missing-value", path, "The component has no value.",
                           "Give each component a value.")
        parts.append(ComponentData(_part_code(instrument, component.get("code"), path),
                                   part_value, part_unit))
    for index, member in enumerate(_list(resource.get("hasMember"))):
        path = f"Observation.hasMember[{index}]"
        target = reader.resolve(member)
        if target is None or target.rtype != "Observation":
            raise _Refused("missing-member", path, "The member Observation is not in the "
                           "Bundle.", "Put every Observation a panel refers to in the Bundle.")
        target.used = True
        member_value, member_unit = _value(target.resource, path)
        if member_value is None:
            raise _Refused("missing-value", path, "The member Observation has no value.",
                           "Give it a value.")
        parts.append(ComponentData(
            _part_code(instrument, target.resource.get("code"), path), member_value,
            member_unit, _side(target.resource.get("bodySite"), path)))
    if value is None and not parts:
        raise _Refused("missing-value", "Observation.value[x]", "The result has no value.",
                       "Give Observation.value[x], components or members.")
    notes = [_str(_obj(n).get("text")) or "" for n in _list(resource.get("note"))]
    return ObservationData(
        local_id=reader.local_id(entry), instrument=instrument, effective=effective,
        value=value, unit=unit, components=tuple(parts),
        method_version=_str(_obj(resource.get("method")).get("text")),
        note="\n".join(note for note in notes if note))


def _procedure(reader: _Reader, entry: _Entry) -> ProcedureData | None:
    resource = entry.resource
    kind = _stride(resource.get("code"), "procedure")
    if kind is None:
        reader.ignore(entry, "it is not a procedure Stride records (SDR, orthopaedic "
                             "surgery, botulinum toxin).")
        return None
    reader.check_subject(entry, "subject")
    if resource.get("status") != "completed":
        # Only a procedure that was done is a treatment episode (not planned, stopped,
        # not done or entered in error).
        reader.ignore(entry, f"its status is {resource.get('status')}, not completed.")
        return None
    period = _obj(resource.get("performedPeriod"))
    performed = _date(resource.get("performedDateTime") or period.get("start"),
                      "Procedure.performed[x]")
    ended = _optional_date(period.get("end"), "Procedure.performedPeriod.end")
    performers = [_obj(_obj(p).get("actor")) for p in _list(resource.get("performer"))]
    counts = tuple(_rootlet_count(e, index)
                   for index, e in enumerate(_extensions(resource, "sdr-rootlet-count")))
    injections = tuple(_injection(e, index)
                       for index, e in enumerate(_extensions(resource, "botulinum-injection")))
    notes = [_str(_obj(n).get("text")) or "" for n in _list(resource.get("note"))]
    used = [_str(_obj(u).get("text")) or "" for u in _list(resource.get("usedCode"))]
    return ProcedureData(
        local_id=reader.local_id(entry), kind=kind, performed_on=performed, ended_on=ended,
        performer=(_str(performers[0].get("display")) or "") if performers else "",
        description="\n".join(n for n in notes if n),
        approach=_stride(_extension_value(resource, "sdr-approach", "valueCoding"),
                         "sdr-approach"),
        levels_exposed=tuple(str(e.get("valueCode"))
                             for e in _extensions(resource, "sdr-level-exposed")),
        rootlet_counts=counts, product=used[0] if used else "", injections=injections)


def _part_side(extension: Json, path: str) -> str:
    side = _sub(extension, "side", "valueCode")
    if side not in ("left", "right"):
        raise _Refused("unknown-side", f"{path}.side", f"The side {side!r} is not left or "
                       "right.", "Give side as valueCode left or right.")
    return str(side)


def _rootlet_count(extension: Json, index: int) -> RootletCountData:
    """One ``sdr-rootlet-count``: a root L1–S2, a side, whole numbers tested and cut."""
    path = f"Procedure.extension:sdr-rootlet-count[{index}]"
    level = _sub(extension, "level", "valueCode")
    if level not in SDR_ROOTS:
        raise _Refused("unknown-level", f"{path}.level", f"The root {level!r} is not one of "
                       f"{', '.join(SDR_ROOTS)}.", "Give level as valueCode L1 … S2.")
    numbers: list[int] = []
    for name in ("tested", "cut"):
        number = _sub(extension, name, "valueInteger")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise _Refused("not-an-integer", f"{path}.{name}", f"The rootlets {name} are "
                           "missing or not a whole number.",
                           f"Give {name} as valueInteger, 0 or more.")
        numbers.append(number)
    return RootletCountData(level=str(level), side=_part_side(extension, path),
                            tested=numbers[0], cut=numbers[1])


def _injection(extension: Json, index: int) -> InjectionData:
    """One ``botulinum-injection``: a muscle, a side and the units."""
    path = f"Procedure.extension:botulinum-injection[{index}]"
    muscle = _str(_sub(extension, "muscle", "valueString")) or ""
    if not muscle.strip():
        raise _Refused("missing-muscle", f"{path}.muscle", "The injected muscle is not named.",
                       "Give muscle as valueString.")
    units = _sub(extension, "units", "valueDecimal")
    if units is None:
        raise _Refused("missing-units", f"{path}.units", "The units injected are missing.",
                       "Give units as valueDecimal.")
    return InjectionData(muscle=muscle, side=_part_side(extension, path),
                         units=_decimal(units, f"{path}.units"))


def _course(reader: _Reader, entry: _Entry, episodes: dict[str, str]) -> CellTherapyData | None:
    resource = entry.resource
    study = reader.resolve(resource.get("study"))
    if study is None or study.rtype != "ResearchStudy":
        raise _Refused("missing-study", "ResearchSubject.study", "The study is not in the "
                       "Bundle.", "Put the ResearchStudy the subject refers to in the Bundle.")
    reader.check_subject(entry, "individual")
    trial_id, registry, ethics = "", "", ""
    for identifier in map(_obj, _list(study.resource.get("identifier"))):
        registry_code = _stride(identifier.get("type"), "trial-registry")
        if registry_code:
            registry, trial_id = registry_code, _str(identifier.get("value")) or ""
        elif _stride(identifier.get("type"), "identifier") == "ethics-approval":
            ethics = _str(identifier.get("value")) or ""
    if not trial_id:
        # A sender without the Stride type: the identifier in Stride's system, its registry
        # recognised from the id's form.
        trial_id = next((_str(_obj(i).get("value")) or "" for i in _list(
            study.resource.get("identifier")) if _obj(i).get("system") ==
            f"{codes.CANONICAL_BASE}/identifier/trial-registration"), "")
    if trial_id and not registry:
        try:
            registry = parse_trial_registration(trial_id).registry.value
        except InvalidValue:
            registry = ""
    if not trial_id:
        raise _Refused("missing-trial-id", "ResearchStudy.identifier",
                       "The study has no trial registration id.",
                       "Give the trial's registry id (e.g. NCT01234567) with its Stride "
                       "trial-registry type.")
    study.used = True
    local_id = reader.local_id(entry)
    episodes[f"ResearchStudy/{study.resource['id']}"] = local_id
    subject_key = f"ResearchSubject/{resource['id']}"
    administrations: list[AdministrationData] = []
    for given in reader.of_type("MedicationAdministration"):
        if not any(reader.key_of(ref) == subject_key
                   for ref in _list(given.resource.get("supportingInformation"))):
            continue
        given.used = True
        episodes[f"MedicationAdministration/{given.resource['id']}"] = local_id
        dosage = _obj(given.resource.get("dosage"))
        dose = _obj(dosage.get("dose"))
        route = _stride(dosage.get("route"), "route")
        if route is None:
            raise _Refused("missing-route", "MedicationAdministration.dosage.route",
                           "The route of the administration is missing.",
                           "Code the route in the Stride CodeSystem (route:*).")
        administrations.append(AdministrationData(
            given_on=_date(given.resource.get("effectiveDateTime"),
                           "MedicationAdministration.effectiveDateTime"),
            route=route, dose=_decimal(dose.get("value"), "MedicationAdministration.dose"),
            dose_unit=_str(dose.get("unit")) or ""))
    return CellTherapyData(
        local_id=local_id, trial_registry=registry, trial_id=trial_id, ethics_reference=ethics,
        cell_type=str(_extension_value(resource, "cell-type", "valueString") or ""),
        cell_source=str(_extension_value(resource, "cell-source", "valueString") or ""),
        administrations=tuple(administrations))


def _adverse_event(reader: _Reader, entry: _Entry,
                   episodes: dict[str, str]) -> AdverseEventData | None:
    resource = entry.resource
    grade = _extension_value(resource, "adverse-event-grade", "valueInteger")
    relatedness = _stride(_extension_value(resource, "relatedness", "valueCoding"),
                          "relatedness")
    if grade is None or relatedness is None:
        reader.ignore(entry, "it has no Stride grade and relatedness; the coordinator can "
                             "enter it with the treatment it belongs to.")
        return None
    reader.check_subject(entry, "subject")
    if resource.get("actuality") != "actual":
        reader.ignore(entry, "it is a potential event (a near miss), not one that happened.")
        return None
    outcome_code = next((code for system, code in _codings(resource.get("outcome"))
                         if system == codes.ADVERSE_EVENT_OUTCOME), None)
    by_code = {code: stored for stored, code in codes.AE_OUTCOME.items()}
    if outcome_code not in by_code:
        raise _Refused("missing-outcome", "AdverseEvent.outcome", "The outcome is missing or "
                       "unknown.", f"Code it in {codes.ADVERSE_EVENT_OUTCOME}.")
    episode = None
    for suspect in map(_obj, _list(resource.get("suspectEntity"))):
        episode = episode or episodes.get(reader.key_of(suspect.get("instance")) or "")
    for study in _list(resource.get("study")):
        episode = episode or episodes.get(reader.key_of(study) or "")
    return AdverseEventData(
        local_id=reader.local_id(entry),
        description=_str(_obj(resource.get("event")).get("text")) or "",
        onset_on=_date(resource.get("date"), "AdverseEvent.date"),
        grade=int(grade), relatedness=relatedness, outcome=by_code[str(outcome_code)],
        episode_local_id=episode,
        clavien_dindo=_stride(_extension_value(resource, "clavien-dindo", "valueCoding"),
                              "clavien-dindo"),
        resolved_on=_optional_date(_extension_value(resource, "resolved-date", "valueDate"),
                                   "AdverseEvent.extension.resolved-date"))


def _consent(reader: _Reader, entry: _Entry) -> ConsentData | None:
    resource = entry.resource
    kind = next((value for value in (_stride(c, "consent")
                                     for c in _list(resource.get("category"))) if value), None)
    if kind is None:
        reader.ignore(entry, "it is not a consent to the programme (no Stride consent kind); "
                             "the family gives consent to Stride itself.")
        return None
    reader.check_subject(entry, "patient")
    version = _str(_extension_value(resource, "consent-text-version", "valueString"))
    if not version:
        raise _Refused("missing-text-version", "Consent.extension", "The version of the "
                       "consent text is missing.", "Add the consent-text-version extension.")
    period = _obj(_obj(resource.get("provision")).get("period"))
    granted = _datetime(period.get("start") or resource.get("dateTime"),
                        "Consent.provision.period.start")
    withdrawn = (None if period.get("end") is None
                 else _datetime(period.get("end"), "Consent.provision.period.end"))
    return ConsentData(
        local_id=reader.local_id(entry), kind=kind, text_version=version, granted_at=granted,
        withdrawn_at=withdrawn,
        method=_stride(_extension_value(resource, "consent-method", "valueCoding"),
                       "consent-method"),
        withdrawal_reason=str(_extension_value(resource, "withdrawal-reason", "valueString")
                              or ""))


def _encounter(reader: _Reader, entry: _Entry) -> EncounterData | None:
    resource = entry.resource
    kind = next((value for value in (_stride(c, "encounter")
                                     for c in _list(resource.get("type"))) if value), None)
    if kind is None:
        reader.ignore(entry, "it is not a Stride consultation or follow-up visit.")
        return None
    reader.check_subject(entry, "subject")
    status = _str(resource.get("status")) or ""
    if status not in codes.ENCOUNTER_STATUSES:
        raise _Refused("unsupported-status", "Encounter.status", f"Status {status!r} is not "
                       "one Stride records.", "Use planned, finished or cancelled.")
    period = _obj(resource.get("period"))
    return EncounterData(
        local_id=reader.local_id(entry), kind=kind, status=status,
        start=None if period.get("start") is None else _datetime(period.get("start"),
                                                                 "Encounter.period.start"),
        end=None if period.get("end") is None else _datetime(period.get("end"),
                                                             "Encounter.period.end"),
        due_on=_optional_date(_extension_value(resource, "due-date", "valueDate"),
                              "Encounter.extension.due-date"),
        label=str(_extension_value(resource, "visit-label", "valueString") or ""))


def _document(reader: _Reader, entry: _Entry) -> DocumentData:
    resource = entry.resource
    reader.check_subject(entry, "subject")
    kind = _stride(resource.get("type"), "document")
    if kind is None:
        kind = codes.DEFAULT_DOCUMENT_KIND
        reader.note(entry, "document-kind", "The document's kind is not a Stride kind: it is "
                    "filed as another medical record.")
    contents = [_obj(_obj(c).get("attachment")) for c in _list(resource.get("content"))]
    attachment = contents[0] if contents else {}
    if len(contents) > 1:
        reader.note(entry, "document-parts", "Only the first content of the document was "
                    "imported.")
    content_type = _str(attachment.get("contentType"))
    if not content_type:
        raise _Refused("missing-content-type", "DocumentReference.content.attachment."
                       "contentType", "The document's type of content is missing.",
                       "Give contentType, e.g. application/pdf.")
    if not (attachment.get("url") or attachment.get("data")):
        reader.note(entry, "document-without-content", "The document has neither a URL nor "
                    "data: only its description was imported; ask the sender for the file.")
    title = (_str(attachment.get("title")) or _str(resource.get("description"))
             or _str(_obj(resource.get("type")).get("text")))
    if not title:
        raise _Refused("missing-title", "DocumentReference.content.attachment.title",
                       "The document has no title.", "Give attachment.title.")
    created_raw = resource.get("date") or attachment.get("creation")
    created = _datetime(created_raw, "DocumentReference.date")
    size = attachment.get("size")
    return DocumentData(
        local_id=reader.local_id(entry), kind=kind, title=title, content_type=content_type,
        created_at=created,
        url=_str(attachment.get("url")) or "", language=_str(attachment.get("language")) or "",
        size_bytes=size if isinstance(size, int) else None,
        sha256=str(_extension_value(attachment, "sha256", "valueString") or ""),
        data_base64=_str(attachment.get("data")) or "")
