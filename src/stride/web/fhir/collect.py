"""One child's record gathered from every app into core's :class:`ChildRecord`.

The fhir app stands on the top floor, so it reads every app's tables directly (read only):
assessments and consultations (evaluation), episodes and adverse events (treatment), the
rootlets cut per level from the operating-room session when the SDR episode has no hand
count (ionm), visits and the family's FMS answers (followup), files and letters
(documents), guardians and consents (patients). Only records a page would show go in:
assessments and episodes not entered in error and dated from birth to today.

Local ids are ``<kind>-<pk>`` (``assessment-17``); core makes the exported ids from them,
so two exports of the same record compare.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from stride.core.fhir.export import (
    ExportOptions,
    export_bundle,
    export_resources,
    full_url,
    resource_id,
)
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
    PatientData,
    ProcedureData,
    RootletCountData,
    condition_codes,
)
from stride.web.documents.models import Document, Letter, LetterKind
from stride.web.evaluation.models import Assessment, Consultation
from stride.web.fhir.selectors import patient_local_id
from stride.web.followup.models import Visit
from stride.web.patients.models import Consent, Guardian, Patient
from stride.web.treatment.models import AdverseEvent, Episode

#: The instruments exported as Observations, with how their stored JSON is read.
LEVELLED = ("gmfcs", "macs", "cfcs", "edacs")
EXPORTED_INSTRUMENTS = (*LEVELLED, "gmfm66", "gmfm88", "mas", "hip-migration")
PROCEDURE_KINDS = ("sdr", "orthopaedic-surgery", "botulinum-toxin")
CELL_THERAPY = "cell-therapy-course"
_SIDES = {"L": "left", "R": "right", "left": "left", "right": "right"}


def _decimal(value: Any, places: int = 2) -> Decimal:
    """A stored float as a Decimal rounded to ``places`` (never a long machine float)."""
    # Through str(): Decimal(0.1) would carry the float's binary tail; no normalize(),
    # which writes 100 as 1E+2.
    return Decimal(str(round(float(value), places)))


def _observation(row: Assessment) -> ObservationData | None:
    data: Mapping[str, Any] = row.data or {}
    derived: Mapping[str, Any] = row.derived or {}
    base: dict[str, Any] = {"local_id": f"assessment-{row.pk}", "instrument": row.instrument,
                            "effective": row.assessed_on}
    if row.instrument in LEVELLED:
        # MACS and EDACS name the system used (the Mini- versions for young children).
        system = data.get("system")
        return ObservationData(**base, value=int(data["level"]),
                               method_version=str(system) if system else None)
    if row.instrument == "gmfm66":
        # The GMAE's estimate whole: score, its standard error and 95% interval (Stride
        # codes gmfm66:standard-error, ci95-low, ci95-high) and the GMAE version as method.
        parts = tuple(ComponentData(code=code, value=_decimal(data[key]))
                      for code, key in (("standard-error", "standard_error"),
                                        ("ci95-low", "ci_low"), ("ci95-high", "ci_high"))
                      if data.get(key) is not None)
        version = data.get("gmae_version")
        return ObservationData(**base, value=_decimal(data["score"]), components=parts,
                               method_version=str(version) if version else None)
    if row.instrument == "gmfm88":
        dimensions = derived.get("dimensions") or {}
        parts = tuple(ComponentData(code=code, value=_decimal(value), unit="%")
                      for code, value in sorted(dimensions.items()) if value is not None)
        # The 88 item scores (NT, not tested, as on the score sheet) and the goal
        # dimensions: what the scores are computed from, so an import records them again.
        items = data.get("items") or {}
        parts += tuple(ComponentData(code=f"item-{n}", value=(
            "NT" if items.get(str(n)) is None else int(items[str(n)])))
            for n in range(1, 89) if str(n) in items)
        parts += tuple(ComponentData(code="goal-dimension", value=str(goal))
                       for goal in data.get("goal_dimensions") or ())
        total = derived.get("total")
        return ObservationData(**base, value=None if total is None else _decimal(total),
                               unit="%", components=parts)
    if row.instrument == "mas":
        parts = tuple(ComponentData(code=str(m["muscle"]), side=_SIDES[str(m["side"])],
                                    value=str(m["grade"]))
                      for m in data.get("measurements", ()))
        return ObservationData(**base, components=parts)
    if row.instrument == "hip-migration":
        parts = tuple(ComponentData(code="hip", side=side, value=_decimal(data[key]), unit="%")
                      for side, key in (("left", "left_percent"), ("right", "right_percent"))
                      if data.get(key) is not None)
        return ObservationData(**base, components=parts)
    return None


def _fms(visit: Visit) -> ObservationData | None:
    report = visit.family_report or {}
    fms = report.get("fms") if isinstance(report, dict) else None
    if not isinstance(fms, dict) or visit.family_reported_at is None:
        return None
    parts = tuple(ComponentData(code=distance, value=str(fms[distance]))
                  for distance in ("5m", "50m", "500m") if fms.get(distance))
    return ObservationData(local_id=f"visit-fms-{visit.pk}", instrument="fms",
                           effective=timezone.localdate(visit.family_reported_at),
                           components=parts)


def _rootlet_counts(episode: Episode) -> tuple[RootletCountData, ...]:
    counts = episode.details.get("counts") or []
    if counts:
        return tuple(RootletCountData(level=str(c["level"]), side=_SIDES[str(c["side"])],
                                      tested=int(c["tested"]), cut=int(c["cut"]))
                     for c in counts)
    # No hand count: the operating-room session's summary (cut = cut or partial by the
    # latest decision on each rootlet), when the SDR was monitored in Stride.
    session = getattr(episode, "rootlet_session", None)
    summary = getattr(session, "summary", None) or []
    return tuple(RootletCountData(level=str(s["root"]), side=_SIDES[str(s["side"])],
                                  tested=int(s["tested"]), cut=int(s["cut"]))
                 for s in summary if isinstance(s, dict) and int(s.get("tested", 0)) > 0)


def _procedure(episode: Episode) -> ProcedureData:
    d: Mapping[str, Any] = episode.details
    common: dict[str, Any] = {"local_id": f"episode-{episode.pk}", "kind": episode.kind,
                              "performed_on": episode.starts_on, "ended_on": episode.ends_on}
    if episode.kind == "sdr":
        return ProcedureData(**common, performer=str(d.get("surgeon", "")),
                             approach=d.get("approach"),
                             levels_exposed=tuple(d.get("levels_exposed") or ()),
                             rootlet_counts=_rootlet_counts(episode))
    if episode.kind == "orthopaedic-surgery":
        return ProcedureData(**common, performer=str(d.get("surgeon", "")),
                             description=str(d.get("procedures", "")))
    return ProcedureData(**common, product=str(d.get("product", "")), injections=tuple(
        InjectionData(muscle=str(i["muscle"]), side=_SIDES[str(i["side"])],
                      units=_decimal(i["units"]))
        for i in d.get("injections") or ()))


def _cell_therapy(episode: Episode) -> CellTherapyData:
    d: Mapping[str, Any] = episode.details
    trial = d.get("trial") or {}
    return CellTherapyData(
        local_id=f"episode-{episode.pk}", trial_registry=str(trial.get("registry", "")),
        trial_id=str(trial.get("trial_id") or d.get("trial_id", "")),
        ethics_reference=str(d.get("ethics_reference", "")),
        cell_type=str(d.get("cell_type", "")), cell_source=str(d.get("cell_source", "")),
        administrations=tuple(
            AdministrationData(given_on=date.fromisoformat(str(a["given_on"])),
                               route=str(a["route"]), dose=_decimal(a["dose"], 6),
                               dose_unit=str(a["dose_unit"]))
            for a in d.get("administrations") or ()))


def _adverse_event(event: AdverseEvent) -> AdverseEventData:
    return AdverseEventData(
        local_id=f"adverse-event-{event.pk}", description=event.description,
        onset_on=event.onset_on, grade=event.grade, relatedness=event.relatedness,
        outcome=event.outcome, episode_local_id=f"episode-{event.episode_id}",
        clavien_dindo=event.clavien_dindo or None, resolved_on=event.resolved_on)


def _condition(patient: Patient, today: date) -> ConditionData:
    """The CP from the latest clinician's history with a subtype; type not established
    (ICD-10 G80.9, no ICD-11 code) when no clinician has recorded one."""
    history = (Assessment.objects.usable(today)
               .filter(case__patient=patient, instrument="history",
                       data__scpe_subtype__isnull=False)
               .exclude(data__scpe_subtype=None).order_by("-assessed_on", "-id").first())
    subtype = None if history is None else history.data.get("scpe_subtype")
    icd10, icd11 = condition_codes(subtype, None)
    return ConditionData(local_id=f"condition-{patient.pk}", scpe_subtype=subtype,
                         icd10=icd10, icd11=icd11,
                         recorded_on=None if history is None else history.assessed_on)


def _encounters(patient: Patient, now: datetime) -> list[EncounterData]:
    found: list[EncounterData] = []
    for c in Consultation.objects.filter(case__patient=patient).order_by("starts_at", "id"):
        end = c.starts_at + timedelta(minutes=c.duration_minutes)
        status = ("cancelled" if c.cancelled_at is not None
                  else "finished" if end <= now else "planned")
        found.append(EncounterData(local_id=f"consultation-{c.pk}", kind="consultation",
                                   status=status, start=c.starts_at, end=end))
    for v in Visit.objects.filter(case__patient=patient).order_by("due_on", "id"):
        status = ("cancelled" if v.cancelled_at is not None
                  else "finished" if v.completed_at is not None else "planned")
        found.append(EncounterData(local_id=f"visit-{v.pk}", kind="follow-up-visit",
                                   status=status, due_on=v.due_on, end=v.completed_at,
                                   label=v.label))
    return found


def _documents(patient: Patient) -> list[DocumentData]:
    found = [DocumentData(local_id=f"document-{d.pk}", kind=d.kind, title=d.original_name,
                          content_type=d.content_type, created_at=d.uploaded_at,
                          size_bytes=d.size_bytes, sha256=d.sha256)
             for d in Document.objects.filter(patient=patient).order_by("uploaded_at", "id")]
    with translation.override("en"):  # a title for another system, in one fixed language
        for letter in Letter.objects.filter(case__patient=patient).order_by("issued_at", "id"):
            found.append(DocumentData(
                local_id=f"letter-{letter.pk}", kind=f"letter-{letter.kind}",
                title=str(LetterKind(letter.kind).label),
                content_type="application/pdf" if letter.pdf_name else "text/html",
                created_at=letter.issued_at, language=letter.language))
    return found


def _sorted_observations(items: Iterable[ObservationData | None]) -> tuple[ObservationData, ...]:
    return tuple(sorted((i for i in items if i is not None),
                        key=lambda o: (o.effective, o.instrument, o.local_id)))


def _patient_data(patient: Patient) -> PatientData:
    return PatientData(
        local_id=patient_local_id(patient.pk), given_name=patient.given_name,
        family_name=patient.family_name, birth_date=patient.date_of_birth,
        sex=patient.sex, country=patient.country,
        languages=tuple(patient.languages or ()), is_synthetic=patient.is_synthetic)


def child_record(patient: Patient, *, today: date | None = None,
                 now: datetime | None = None) -> ChildRecord:
    """Return everything Stride exports of ``patient`` as core's :class:`ChildRecord`.

    The caller has passed the door (an audited read of the child) and checked consent.
    """
    moment = now or timezone.now()
    day = today or timezone.localdate(moment)
    assessments = (Assessment.objects.usable(day)
                   .filter(case__patient=patient, instrument__in=EXPORTED_INSTRUMENTS)
                   .order_by("assessed_on", "id"))
    visits = (Visit.objects.filter(case__patient=patient, family_report__isnull=False)
              .order_by("family_reported_at", "id"))
    episodes = list(Episode.objects.usable(day).filter(case__patient=patient)
                    .select_related("rootlet_session").order_by("starts_on", "id"))
    events = (AdverseEvent.objects.filter(episode__in=episodes)
              .order_by("onset_on", "id"))
    return ChildRecord(
        patient=_patient_data(patient),
        guardians=tuple(
            GuardianData(local_id=f"guardian-{g.pk}", relationship=g.relationship,
                         given_name=g.given_name, family_name=g.family_name, phone=g.phone,
                         email=g.email, preferred_language=g.preferred_language)
            for g in Guardian.objects.filter(patient=patient).order_by("id")),
        condition=_condition(patient, day),
        observations=_sorted_observations(
            [_observation(a) for a in assessments] + [_fms(v) for v in visits]),
        procedures=tuple(_procedure(e) for e in episodes if e.kind in PROCEDURE_KINDS),
        cell_therapies=tuple(_cell_therapy(e) for e in episodes if e.kind == CELL_THERAPY),
        adverse_events=tuple(_adverse_event(e) for e in events),
        consents=tuple(
            ConsentData(local_id=f"consent-{c.pk}", kind=c.kind, text_version=c.text_version,
                        granted_at=c.granted_at, withdrawn_at=c.withdrawn_at,
                        method=getattr(c, "method", None) or None,
                        withdrawal_reason=c.withdrawal_reason)
            for c in Consent.objects.filter(patient=patient).order_by("granted_at", "id")),
        encounters=tuple(_encounters(patient, moment)),
        documents=tuple(_documents(patient)),
    )


# ------------------------------------------------------------------ bundles

def fhir_patient_id(patient_id: int) -> str:
    """The child's exported (identified) Patient id: what ``/fhir/Patient/<id>`` takes."""
    return resource_id("Patient", patient_local_id(patient_id))


def fhir_base_url() -> str:
    """The FHIR base of this server (``<site>/fhir``): full URLs and identifier systems."""
    return f"{str(settings.STRIDE_SITE_URL).rstrip('/')}{reverse('fhir:metadata')}".removesuffix(
        "/metadata")


def pseudonym_key() -> str:
    """The secret pseudonyms are made with: ``STRIDE_FHIR_PSEUDONYM_KEY``, else one derived
    from the site's secret key (stable while the secret is, never the secret itself)."""
    configured = getattr(settings, "STRIDE_FHIR_PSEUDONYM_KEY", "")
    if configured:
        return str(configured)
    return hmac.new(settings.SECRET_KEY.encode(), b"stride-fhir-pseudonym",
                    hashlib.sha256).hexdigest()


def export_bundle_of(patient: Patient, *, pseudonymised: bool = False,
                     base_url: str | None = None) -> dict[str, Any]:
    """The child's record as a FHIR R4 Bundle of type ``collection`` (a plain dict)."""
    options = ExportOptions(base_url=base_url or fhir_base_url(), pseudonymised=pseudonymised,
                            pseudonym_key=pseudonym_key() if pseudonymised else "")
    return export_bundle(child_record(patient), options)


def patient_resource(patient: Patient, *, base_url: str | None = None) -> dict[str, Any]:
    """The child's Patient resource alone (identified), as ``GET Patient/<id>`` answers."""
    options = ExportOptions(base_url=base_url or fhir_base_url(), include_code_system=False)
    # The Patient alone: gathering the whole record (a dozen queries) would be thrown away.
    record = ChildRecord(patient=_patient_data(patient))
    return export_resources(record, options)[0]


def everything_bundle(patient: Patient, *, self_url: str,
                      base_url: str | None = None) -> dict[str, Any]:
    """``Patient/<id>/$everything``: every exported resource as a ``searchset`` Bundle, the
    Patient as the match and the rest as included."""
    base = base_url or fhir_base_url()
    resources = export_resources(child_record(patient), ExportOptions(base_url=base))
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "link": [{"relation": "self", "url": self_url}],
        "entry": [{"fullUrl": full_url(base, resource), "resource": resource,
                   "search": {"mode": "match" if resource["resourceType"] == "Patient"
                              else "include"}}
                  for resource in resources],
    }
