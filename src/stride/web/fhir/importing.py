"""Importing a referring hospital's FHIR Bundle as a new inquiry and case.

Three steps, nothing stored before the last:

1. :func:`read_upload` reads the file within :func:`max_bytes`, checks it is UTF-8 JSON of
   sane depth holding a Bundle, and parses it with core (:mod:`stride.core.fhir.parse`).
   A bad Bundle gives every problem at once, entry by entry (index, resource, what is
   wrong), and the page stores nothing.
2. The coordinator reads :func:`summary` (the child, the condition, the observations and
   documents in words, and what will become an assessment and what will only be kept in
   the referral's file) while the text waits in a :class:`~.models.BundleUpload` row.
3. :func:`confirm_import` parses the stored text again and, in one transaction, opens the
   inquiry and case (``intake.services.open_referral``), records each observation Stride
   has an instrument for as an assessment (``evaluation.services.record_assessment``;
   GMFM-66 with the GMAE's standard error, interval and version, GMFM-88 from its 88
   items), each SDR, orthopaedic operation and botulinum-toxin session as a treatment
   episode (``treatment.services.record_*``, so follow-up and the registry react as to any
   episode) and each adverse event of those as that episode's adverse event, keeps the
   Bundle itself as the referral's document (the hospital's own words and everything
   Stride does not model: the documents it lists, observations without a Stride
   instrument, what core refuses to record) and a team note naming them, then deletes
   the staging row.

A treatment core's check refuses (an operation without its surgeon, an SDR without its
approach) is not a bad Bundle: like an observation Stride cannot record, it is shown on
the review with the reason and kept in the referral's file. A malformed Stride extension
(a rootlet count without its root, an injection without its side) is: core's parse
refuses the Bundle with the entry named.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stride.core.anatomy import Side
from stride.core.errors import InvalidValue, StrideError
from stride.core.fhir.parse import parse_bundle
from stride.core.fhir.record import AdverseEventData, ChildRecord, ObservationData, ProcedureData
from stride.core.pathway import Programme, Stage
from stride.core.scales.instruments import Instrument, parse_assessment
from stride.core.treatment import episodes as core_episodes
from stride.core.treatment import stages
from stride.core.treatment.problems import EpisodeRefused
from stride.web.accounts.models import User
from stride.web.documents.models import DocumentKind
from stride.web.documents.services import record_document
from stride.web.evaluation import services as evaluation
from stride.web.evaluation.models import InstrumentChoices
from stride.web.fhir.selectors import uploads_waiting
from stride.web.intake import services as intake
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case, ProgrammeChoices, Relationship
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.names import country_name
from stride.web.platform.uploads import STAGING_FOLDER, StagedFile, commit_staged, media_root
from stride.web.platform.words import body_words
from stride.web.treatment import services as treatment
from stride.web.treatment.forms import APPROACH_NAMES, CODE_WORDS
from stride.web.treatment.models import Episode, EpisodeKindChoices

#: Deepest nesting a Bundle needs (Bundle → entry → resource → component → code → coding
#: → extension ...); checked on the raw bytes before parsing, so a hostile file cannot
#: exhaust the parser.
MAX_DEPTH = 40
#: Largest Bundle taken, unless settings say otherwise: a referral's record without
#: inline files is tens of kilobytes; 5 MB leaves room for long histories.
DEFAULT_MAX_BYTES = 5_000_000

_WORDS = {
    "fms": gettext_lazy("Functional Mobility Scale (FMS)"),
}
_SIDES = {"left": gettext_lazy("left"), "right": gettext_lazy("right")}
_GMFM66_WORDS = {"standard-error": gettext_lazy("standard error"),
                 "ci95-low": gettext_lazy(
                     # xgettext:no-python-format
                     "95% interval from"),
                 "ci95-high": gettext_lazy(
                     # xgettext:no-python-format
                     "95% interval to")}
#: GMFM-88 is recorded from its items (all 88, as components ``gmfm88:item-<n>``).
GMFM88_ITEMS = 88
#: The GMFM-66 components (Stride codes ``gmfm66:<part>``) -> the stored GmaeResult field.
GMFM66_PARTS = {"standard-error": "standard_error", "ci95-low": "ci_low",
                "ci95-high": "ci_high"}
#: The sexes a Stride child record takes (``patients.models.Sex``); an import may say
#: "unknown", which the coordinator must have corrected before the case opens.
_SEXES = ("female", "male", "other")


class ImportRefused(StrideError):
    """The Bundle cannot be imported now; the message says why and what to do."""

    code = "fhir-import-refused"


@dataclass(frozen=True, slots=True)
class EntryProblem:
    """One thing wrong with an uploaded Bundle: where (the entry's index in
    ``Bundle.entry``, counted from 0 as FHIR paths do; ``None`` for the Bundle itself),
    the resource type, and what is wrong and how to fix it (core's English sentences)."""

    index: int | None
    resource: str
    message: str


@dataclass(frozen=True, slots=True)
class ReadBundle:
    """An uploaded Bundle read: its text, and either its record or its problems."""

    text: str
    record: ChildRecord | None
    problems: tuple[EntryProblem, ...]


def max_bytes() -> int:
    """The largest Bundle file the import takes, in bytes."""
    return int(getattr(settings, "STRIDE_FHIR_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def too_large_message() -> str:
    """What to do with a file over :func:`max_bytes`."""
    return _("The file is larger than %(mb)s MB. A FHIR Bundle of one child's referral is "
             "much smaller: ask the hospital for the Bundle without attached files.") % {
        "mb": max_bytes() // 1_000_000}


def _whole(problem: str) -> ReadBundle:
    return ReadBundle(text="", record=None, problems=(EntryProblem(None, "", problem),))


def _too_deep(raw: bytes) -> bool:
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in b"]}":
            depth -= 1
    return False


def read_upload(upload: UploadedFile) -> ReadBundle:
    """Read an uploaded file as a Bundle (nothing stored); see :func:`read_text`."""
    limit = max_bytes()
    if (upload.size or 0) > limit:
        return _whole(too_large_message())
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        return _whole(too_large_message())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _whole(_("The file is not text in UTF-8: a FHIR Bundle in JSON is. Check that "
                        "the hospital sent the JSON file, not a PDF or an archive."))
    return read_text(text)


def read_text(text: str) -> ReadBundle:
    """Parse a Bundle's JSON text with core; every problem is listed, entry by entry."""
    if _too_deep(text.encode()):
        return _whole(_("The file nests deeper than a FHIR Bundle does; it cannot be read."))
    try:
        data = json.loads(text)
    except ValueError as error:
        return _whole(_("The file is not valid JSON (%(where)s). Ask the hospital to send "
                        "the Bundle again.") % {"where": str(error)[:120]})
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        return _whole(_("The file is JSON but not a FHIR Bundle: its resourceType must be "
                        "\"Bundle\"."))
    record_, problems = parse(data)
    return ReadBundle(text=text, record=record_, problems=problems)


def parse(bundle: Mapping[str, Any]) -> tuple[ChildRecord | None, tuple[EntryProblem, ...]]:
    """Core's parse of a Bundle dict: the record, or every problem (never both)."""
    parsed = parse_bundle(dict(bundle))
    if parsed.record is not None and not parsed.errors:
        return parsed.record, ()
    return None, tuple(
        EntryProblem(index=p.index, resource=p.resource_type,
                     message=f"{p.path}: {p.problem} {p.fix}") for p in parsed.errors)


def notes_of(text: str) -> tuple[str, ...]:
    """What core's parse left out of a good Bundle (English, from core), for the review."""
    try:
        parsed = parse_bundle(json.loads(text))
    except ValueError:
        return ()
    return tuple(f"Bundle.entry[{n.index}] {n.resource_type}: {n.note}"
                 if n.index is not None else n.note for n in parsed.notes)


# ------------------------------------------------------------------ review in words

@dataclass(frozen=True, slots=True)
class ObservationLine:
    """One observation for the review page: its name, date, value in words, and whether
    it becomes an assessment (else it is kept in the referral's file only)."""

    name: str
    effective: date
    value: str
    becomes_assessment: bool
    why_not: str = ""


def instrument_name(code: str) -> str:
    """The instrument's name in the reader's language."""
    if code in _WORDS:
        return str(_WORDS[code])
    if code in InstrumentChoices.values:
        return str(InstrumentChoices(code).label)
    return code.replace("-", " ")


def _number(value: Any) -> str:
    return format(value, "f") if not isinstance(value, str) else value


def observation_value(obs: ObservationData) -> str:
    """The observation's value in words: the headline with its unit, then each part."""
    parts: list[str] = []
    if obs.value is not None:
        unit = " %" if obs.unit == "%" else ""
        level = _("level %(n)s") % {"n": obs.value} if obs.instrument in (
            "gmfcs", "macs", "cfcs", "edacs") else f"{_number(obs.value)}{unit}"
        parts.append(level)
    items = [c for c in obs.components if c.code.startswith("item-")]
    goals = [str(c.value) for c in obs.components if c.code == "goal-dimension"]
    for c in obs.components:
        if c in items or c.code == "goal-dimension":
            continue  # summed up below: 88 lines would hide the result
        side = f" ({_SIDES.get(c.side or '', c.side)})" if c.side else ""
        unit = " %" if c.unit == "%" else ""
        name = (str(_GMFM66_WORDS[c.code]) if obs.instrument == "gmfm66"
                and c.code in _GMFM66_WORDS
                else _("dimension %(d)s") % {"d": c.code} if obs.instrument == "gmfm88"
                else _("%(m)s m") % {"m": c.code.removesuffix("m")} if obs.instrument == "fms"
                else c.code.replace("-", " "))
        parts.append(f"{name}{side}: {_number(c.value)}{unit}")
    if items:
        untested = sum(1 for c in items if c.value == "NT")
        parts.append(_("%(n)s item scores, %(nt)s not tested") % {"n": len(items),
                                                                   "nt": untested})
    if goals:
        parts.append(_("goal dimensions: %(goals)s") % {"goals": ", ".join(goals)})
    return "; ".join(parts) or _("no value given")


def assessment_data(obs: ObservationData) -> dict[str, object] | None:
    """The stored form of ``obs`` for ``evaluation.services.record_assessment``, or
    ``None`` where Stride cannot record it as an assessment (an instrument Stride records
    elsewhere, such as FMS, or a GMFM-88 without its 88 items)."""
    if obs.instrument in ("gmfcs", "cfcs") and obs.value is not None:
        return {"level": int(obs.value)}
    if obs.instrument in ("macs", "edacs") and obs.value is not None and obs.method_version:
        # The system used (MACS or Mini-MACS, EDACS or Mini-EDACS), as Stride exports it.
        return {"system": obs.method_version, "level": int(obs.value)}
    if obs.instrument == "gmfm66" and obs.value is not None and obs.method_version:
        # The GMAE's estimate whole (GmaeResult): without its standard error, interval and
        # version a score is not what Stride records as GMFM-66.
        parts = {c.code: c.value for c in obs.components if c.side is None}
        if all(key in parts for key in GMFM66_PARTS):
            return {"score": float(obs.value), "gmae_version": obs.method_version,
                    **{name: float(parts[key]) for key, name in GMFM66_PARTS.items()}}
        return None
    if obs.instrument == "gmfm88":
        items = {c.code.removeprefix("item-"): c.value for c in obs.components
                 if c.code.startswith("item-")}
        if len(items) != GMFM88_ITEMS:
            return None
        return {"items": items, "goal_dimensions": [
            str(c.value) for c in obs.components if c.code == "goal-dimension"]}
    if obs.instrument == "mas" and obs.components:
        return {"measurements": [{"muscle": c.code, "side": c.side, "grade": str(c.value)}
                                 for c in obs.components]}
    if obs.instrument == "hip-migration":
        sides = {c.side: float(c.value) for c in obs.components
                 if c.code == "hip" and c.side in ("left", "right")}
        if sides:
            return {"left_percent": sides.get("left"), "right_percent": sides.get("right")}
    return None


def _why_not(instrument: str) -> str:
    """Why an observation of ``instrument`` is kept in the referral's file only."""
    if instrument == "gmfm88":
        return _("Stride records GMFM-88 from its 88 items, which the Bundle does not carry; "
                 "it is kept in the referral's file.")
    if instrument == "gmfm66":
        return _(
            # xgettext:no-python-format
            "Stride records GMFM-66 with the GMAE's standard error, 95% interval and "
            "version, which the Bundle does not carry; it is kept in the referral's "
            "file.")
    if instrument == "fms":
        return _("Stride records FMS from the family's follow-up reports; it is kept in the "
                 "referral's file.")
    if instrument in ("macs", "edacs"):
        return _("The Bundle does not say which system was used (for example MACS or "
                 "Mini-MACS); it is kept in the referral's file.")
    return _("Stride has no instrument for this observation; it is kept in the referral's "
             "file.")


def _becomes(obs: ObservationData, birth: date, today: date) -> tuple[bool, str]:
    data = assessment_data(obs)
    if data is None:
        return False, _why_not(obs.instrument)
    try:
        parsed = parse_assessment(Instrument(obs.instrument), data, date_of_birth=birth,
                                  assessed_on=obs.effective, today=today)
    except (InvalidValue, StrideError, ValueError) as error:
        return False, _("Stride cannot record it as given (%(why)s); it is kept in the "
                        "referral's file.") % {"why": str(error)[:200]}
    if obs.instrument == "gmfm88" and not _gmfm88_agrees(obs, parsed.derived):
        return False, _("The GMFM-88 total or dimension scores in the Bundle differ from "
                        "those its 88 items give; it is kept in the referral's file.")
    return True, ""


def _gmfm88_agrees(obs: ObservationData, derived: Mapping[str, Any]) -> bool:
    """Whether the total and dimension percentages the Bundle gives are those Stride
    computes from its items (to the 0.01 % the export writes)."""
    given = {c.code: c.value for c in obs.components if len(c.code) == 1}
    computed = dict(derived.get("dimensions") or {})
    pairs = [(obs.value, derived.get("total"))] if obs.value is not None else []
    pairs += [(value, computed.get(code)) for code, value in given.items()]
    return all(isinstance(mine, Decimal | int) and theirs is not None
               and abs(float(mine) - float(theirs)) <= 0.01 for mine, theirs in pairs)


# ------------------------------------------------------------------ treatment episodes

@dataclass(frozen=True, slots=True)
class EpisodeLine:
    """A procedure or an adverse event for the review page: its name, date, what it says in
    words, and whether it becomes a treatment record (else it is kept in the referral's
    file, ``why_not`` says why)."""

    name: str
    on: date
    value: str
    becomes_record: bool
    why_not: str = ""


def _side(code: str) -> Side:
    return Side(code)


def _check_procedure(proc: ProcedureData, birth: date, today: date) -> None:
    """Run core's check of the episode ``proc`` would be (raises ``EpisodeRefused`` or
    ``ValueError``); the same check the treatment service runs before storing."""
    if proc.kind == core_episodes.EpisodeKind.SDR.value:
        core_episodes.check_sdr(
            operated_on=proc.performed_on, surgeon=proc.performer,
            approach=None if proc.approach is None else core_episodes.SdrApproach(proc.approach),
            levels_exposed=proc.levels_exposed, counts=_counts(proc),
            date_of_birth=birth, today=today)
    elif proc.kind == core_episodes.EpisodeKind.ORTHOPAEDIC_SURGERY.value:
        core_episodes.check_orthopaedic_surgery(
            operated_on=proc.performed_on, surgeon=proc.performer,
            procedures=proc.description, date_of_birth=birth, today=today)
    elif proc.kind == core_episodes.EpisodeKind.BOTULINUM_TOXIN.value:
        core_episodes.check_botulinum_toxin(
            given_on=proc.performed_on, product=proc.product, injections=_injections(proc),
            date_of_birth=birth, today=today)
    else:
        raise ValueError(proc.kind)


def _counts(proc: ProcedureData) -> list[core_episodes.RootletCount]:
    return [core_episodes.RootletCount(c.level, _side(c.side), c.tested, c.cut)
            for c in proc.rootlet_counts]


def _injections(proc: ProcedureData) -> list[core_episodes.Injection]:
    return [core_episodes.Injection(i.muscle, _side(i.side), float(i.units))
            for i in proc.injections]


def _refusal_words(error: Exception) -> str:
    if isinstance(error, EpisodeRefused):
        return "; ".join(f"{p.field}: {p.detail}" if p.field else p.detail
                         for p in error.problems)[:300]
    return str(error)[:200]


def procedure_usable(proc: ProcedureData, birth: date, today: date) -> tuple[bool, str]:
    """Whether ``proc`` becomes a treatment episode, and if not why (in words)."""
    if proc.ended_on is not None:
        return False, _("The Bundle gives an end date, which Stride does not record for this "
                        "kind of treatment; it is kept in the referral's file.")
    try:
        _check_procedure(proc, birth, today)
    except (EpisodeRefused, ValueError) as error:
        return False, _("Stride cannot record it as given (%(why)s); it is kept in the "
                        "referral's file.") % {"why": _refusal_words(error)}
    return True, ""


def procedure_name(kind: str) -> str:
    """The kind of treatment in the reader's language."""
    if kind in EpisodeKindChoices.values:
        return str(EpisodeKindChoices(kind).label)
    return kind.replace("-", " ")


def procedure_value(proc: ProcedureData) -> str:
    """What the procedure says, in words: surgeon, approach, levels and rootlets; the
    operation; the product and each injection."""
    parts: list[str] = []
    if proc.performer:
        parts.append(_("surgeon: %(name)s") % {"name": proc.performer})
    if proc.approach:
        approach = next((words for code, words in APPROACH_NAMES.items()
                         if code.value == proc.approach), proc.approach.replace("-", " "))
        parts.append(str(approach))
    if proc.levels_exposed:
        parts.append(_("levels exposed: %(levels)s") % {"levels": ", ".join(
            proc.levels_exposed)})
    for c in proc.rootlet_counts:
        parts.append(_("%(root)s %(side)s: %(cut)s of %(tested)s rootlets cut") % {
            "root": c.level, "side": _SIDES.get(c.side, c.side), "cut": c.cut,
            "tested": c.tested})
    if proc.description:
        parts.append(proc.description)
    if proc.product:
        parts.append(proc.product)
    for i in proc.injections:
        parts.append(_("%(muscle)s (%(side)s): %(units)s units") % {
            "muscle": body_words(i.muscle), "side": _SIDES.get(i.side, i.side),
            "units": _number(i.units)})
    return "; ".join(parts) or _("no details given")


def _check_event(event: AdverseEventData, proc: ProcedureData, birth: date,
                 today: date) -> None:
    core_episodes.check_adverse_event(
        episode_kind=core_episodes.EpisodeKind(proc.kind), description=event.description,
        onset_on=event.onset_on, grade=event.grade,
        relatedness=core_episodes.Relatedness(event.relatedness),
        outcome=core_episodes.EventOutcome(event.outcome),
        clavien_dindo=(None if event.clavien_dindo is None
                       else core_episodes.ClavienDindo(event.clavien_dindo)),
        resolved_on=event.resolved_on, episode_starts_on=proc.performed_on,
        date_of_birth=birth, today=today)


def event_usable(event: AdverseEventData, record_: ChildRecord, today: date,
                 ) -> tuple[bool, str]:
    """Whether ``event`` becomes an adverse event of an imported episode, and if not why."""
    proc = next((p for p in record_.procedures if p.local_id == event.episode_local_id),
                None)
    birth = record_.patient.birth_date
    if proc is None or not procedure_usable(proc, birth, today)[0]:
        return False, _("The treatment it belongs to is not recorded from this Bundle; it is "
                        "kept in the referral's file.")
    try:
        _check_event(event, proc, birth, today)
    except (EpisodeRefused, ValueError) as error:
        return False, _("Stride cannot record it as given (%(why)s); it is kept in the "
                        "referral's file.") % {"why": _refusal_words(error)}
    return True, ""


def event_value(event: AdverseEventData) -> str:
    """The adverse event in words: description, grade, relatedness, outcome."""
    parts = [event.description, _("grade %(n)s") % {"n": event.grade},
             str(CODE_WORDS.get(event.relatedness, event.relatedness.replace("-", " "))),
             str(CODE_WORDS.get(event.outcome, event.outcome.replace("-", " ")))]
    if event.clavien_dindo:
        parts.append(_("Clavien–Dindo grade %(g)s") % {"g": event.clavien_dindo})
    if event.resolved_on is not None:
        parts.append(_("resolved on %(d)s") % {"d": date_format(event.resolved_on,
                                                                "DATE_FORMAT")})
    return "; ".join(p for p in parts if p)


def _blocked_by_stage(programme: Programme, kind: str) -> bool:
    """Whether ``kind`` is the programme's own treatment, refused on a new case (at
    inquiry) by the stage policy: it is then kept in the referral's file."""
    try:
        episode_kind = core_episodes.EpisodeKind(kind)
    except ValueError:
        return True
    return bool(stages.recording_problems(programme=programme, kind=episode_kind,
                                          current=Stage.INQUIRY))


def _record_procedure(*, by: User, case: Case, proc: ProcedureData, today: date) -> Episode:
    """Store ``proc`` through the treatment service of its kind (registry and follow-up
    react to the episode as to any other)."""
    if proc.kind == core_episodes.EpisodeKind.SDR.value:
        return treatment.record_sdr(
            by=by, case=case, operated_on=proc.performed_on, surgeon=proc.performer,
            approach=None if proc.approach is None else core_episodes.SdrApproach(proc.approach),
            levels_exposed=list(proc.levels_exposed), counts=_counts(proc), today=today)
    if proc.kind == core_episodes.EpisodeKind.ORTHOPAEDIC_SURGERY.value:
        return treatment.record_orthopaedic_surgery(
            by=by, case=case, operated_on=proc.performed_on, surgeon=proc.performer,
            procedures=proc.description, today=today)
    return treatment.record_botulinum_toxin(
        by=by, case=case, given_on=proc.performed_on, product=proc.product,
        injections=_injections(proc), today=today)


@dataclass(frozen=True, slots=True)
class Summary:
    """What the review page shows of a parsed record."""

    record: ChildRecord
    country: str
    subtype: str
    observations: tuple[ObservationLine, ...]
    documents: tuple[str, ...]
    export_only: tuple[str, ...]
    procedures: tuple[EpisodeLine, ...] = ()
    adverse_events: tuple[EpisodeLine, ...] = ()
    #: Whether an SDR would become an episode (the SDR programme keeps it in the file).
    has_sdr: bool = False
    #: What Stride needs to open the case and the Bundle does not say (blocks the import).
    missing: tuple[str, ...] = ()


def _subtype_words(code: str | None) -> str:
    from stride.web.outcomes.wording import SUBTYPE_CHOICES
    if code is None:
        return _("cerebral palsy, type not given")
    return str(dict(SUBTYPE_CHOICES).get(code, code.replace("-", " ")))


def summary(record_: ChildRecord, *, today: date | None = None) -> Summary:
    """The review page's words for ``record_``."""
    day = today or timezone.localdate()
    lines = []
    for obs in record_.observations:
        becomes, why = _becomes(obs, record_.patient.birth_date, day)
        lines.append(ObservationLine(name=instrument_name(obs.instrument),
                                     effective=obs.effective, value=observation_value(obs),
                                     becomes_assessment=becomes, why_not=why))
    documents = tuple(
        _("%(title)s (%(kind)s, %(date)s)") % {
            "title": d.title or _("untitled"), "kind": d.content_type,
            "date": d.created_at.date().isoformat()}
        for d in record_.documents)
    birth = record_.patient.birth_date
    procedures = []
    for proc in record_.procedures:
        becomes, why = procedure_usable(proc, birth, day)
        procedures.append(EpisodeLine(name=procedure_name(proc.kind), on=proc.performed_on,
                                      value=procedure_value(proc), becomes_record=becomes,
                                      why_not=why))
    events = []
    for event in record_.adverse_events:
        becomes, why = event_usable(event, record_, day)
        events.append(EpisodeLine(name=_("Adverse event"), on=event.onset_on,
                                  value=event_value(event), becomes_record=becomes,
                                  why_not=why))
    n_cell = len(record_.cell_therapies)
    n_consent, n_enc = len(record_.consents), len(record_.encounters)
    left = [text % {"n": n} for n, text in (
        (n_cell, ngettext("%(n)s cell-therapy course", "%(n)s cell-therapy courses", n_cell)),
        (n_consent, ngettext("%(n)s consent given to the sender",
                             "%(n)s consents given to the sender", n_consent)),
        (n_enc, ngettext("%(n)s consultation or visit", "%(n)s consultations and visits",
                         n_enc)),
    ) if n]
    condition = record_.condition
    missing = []
    if record_.patient.sex not in _SEXES:
        missing.append(_("The child's sex (female, male or other) is not given."))
    if not record_.patient.country:
        missing.append(_("The child's country of residence is not given."))
    return Summary(missing=tuple(missing), record=record_,
                   country=country_name(record_.patient.country),
                   subtype=_subtype_words(None if condition is None else condition.scpe_subtype),
                   observations=tuple(lines), documents=documents, export_only=tuple(left),
                   procedures=tuple(procedures), adverse_events=tuple(events),
                   has_sdr=any(p.becomes_record and proc.kind == "sdr"
                               for p, proc in zip(procedures, record_.procedures,
                                                  strict=True)))


def programme_choices() -> list[tuple[str, str]]:
    """The programmes a referral may open a case in, with their names."""
    return [(value, str(label)) for value, label in ProgrammeChoices.choices]


# ------------------------------------------------------------------ the import itself

def _bundle_file(text: str, name: str) -> StagedFile:
    """Write the Bundle as the referral's document into the staging folder."""
    data = text.encode()
    stored = f"referrals/{secrets.token_hex(16)}.json"
    path = media_root() / STAGING_FOLDER / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    (media_root() / "referrals").mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return StagedFile(stored_name=stored, original_name=name or "referral-bundle.json",
                      content_type="application/fhir+json", size_bytes=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), metadata_removed=False)


def _check_needed(child: ChildRecord) -> None:
    if child.patient.sex not in _SEXES or not child.patient.country:
        raise ImportRefused(_("The Bundle does not say the child's sex (female, male or "
                              "other) or country of residence; Stride needs both to open the "
                              "case. Ask the hospital to add them and upload it again."))


@transaction.atomic
def confirm_import(*, by: User, upload_id: Any, programme: str) -> Inquiry:
    """Import a staged Bundle as a new inquiry and case; return the inquiry.

    Raises
    ------
    ImportRefused
        If the upload is not the user's (or was used, or waited longer than
        :data:`~stride.web.fhir.selectors.STAGED_FOR`), the Bundle no longer parses, the
        programme is not one of Stride's, or a value Stride needs is missing.
    """
    staged = uploads_waiting(by).select_for_update().filter(pk=upload_id).first()
    if staged is None:
        raise ImportRefused(_("This upload was imported or discarded already."))
    if programme not in ProgrammeChoices.values:
        raise ImportRefused(_("Choose the programme the child is referred to."))
    read = read_text(staged.text)
    if read.record is None:
        raise ImportRefused(_("The Bundle cannot be read any more; upload it again."))
    child = read.record
    _check_needed(child)
    today = timezone.localdate()
    guardians = [intake.ReferredGuardian(
        given_name=g.given_name, family_name=g.family_name,
        relationship=g.relationship if g.relationship in Relationship.values else "other",
        preferred_language=g.preferred_language or (child.patient.languages or ("en",))[0],
        email=g.email, phone=g.phone) for g in child.guardians]
    inquiry = intake.open_referral(
        by=by, given_name=child.patient.given_name, family_name=child.patient.family_name,
        date_of_birth=child.patient.birth_date, sex=child.patient.sex,
        country=child.patient.country, languages=child.patient.languages,
        programme=Programme(programme), guardians=guardians,
        language=(child.patient.languages or ("en",))[0],
        is_synthetic=child.patient.is_synthetic)
    case = inquiry.case
    kept: list[str] = []
    recorded = 0
    if child.condition is not None and child.condition.scpe_subtype is not None:
        evaluation.record_assessment(
            by=by, case=case, instrument="history",
            assessed_on=child.condition.recorded_on or today, context="remote",
            data={"scpe_subtype": child.condition.scpe_subtype}, today=today)
    for obs in child.observations:
        becomes, _why = _becomes(obs, child.patient.birth_date, today)
        data = assessment_data(obs)
        if becomes and data is not None:
            evaluation.record_assessment(by=by, case=case, instrument=obs.instrument,
                                         assessed_on=obs.effective, context="remote",
                                         data=data, today=today)
            recorded += 1
        else:
            kept.append(f"{instrument_name(obs.instrument)}, {obs.effective.isoformat()}: "
                        f"{observation_value(obs)}")
    episodes: dict[str, Episode] = {}
    chosen = Programme(programme)
    for proc in child.procedures:
        usable, _why = procedure_usable(proc, child.patient.birth_date, today)
        if usable and not _blocked_by_stage(chosen, proc.kind):
            episodes[proc.local_id] = _record_procedure(by=by, case=case, proc=proc,
                                                        today=today)
        else:
            kept.append(f"{procedure_name(proc.kind)}, {proc.performed_on.isoformat()}: "
                        f"{procedure_value(proc)}")
    events = 0
    for event in child.adverse_events:
        episode = episodes.get(event.episode_local_id or "")
        if episode is not None and event_usable(event, child, today)[0]:
            treatment.record_adverse_event(
                by=by, episode=episode, description=event.description,
                onset_on=event.onset_on, grade=event.grade,
                relatedness=core_episodes.Relatedness(event.relatedness),
                outcome=core_episodes.EventOutcome(event.outcome),
                clavien_dindo=(None if event.clavien_dindo is None
                               else core_episodes.ClavienDindo(event.clavien_dindo)),
                resolved_on=event.resolved_on, today=today)
            events += 1
        else:
            kept.append(f"{_('Adverse event')}, {event.onset_on.isoformat()}: "
                        f"{event_value(event)}")
    kept += [d.title for d in child.documents]
    file = _bundle_file(staged.text, staged.original_name)
    record_document(case=case, kind=DocumentKind.MEDICAL_RECORD, file=file,
                    at=timezone.now(), by=by, guardian=None)
    if kept:
        evaluation.add_team_note(by=by, case=case, body=_(
            "Imported from the referring hospital's FHIR Bundle (kept as the document "
            "%(name)s). Not recorded as assessments or treatments: %(items)s") % {
            "name": file.original_name, "items": "; ".join(kept)})
    record(actor=by, action=Action.CREATE, object_type=ObjectType.FHIR_IMPORT,
           object_id=(f"{staged.pk} case={case.pk} assessments={recorded} "
                      f"episodes={len(episodes)} adverse-events={events}"),
           patient_id=case.patient_id)
    staged.delete()
    commit_staged([file])
    return inquiry
