"""The care team's evaluation pages: workspace, instrument forms, candidacy, consultations.

Each view parses input, fetches the case only through ``access_case_as_staff`` (guardians,
other teams, analysts and administrators get the same audited 404), calls one service or
selector, and renders. Core's errors are shown next to the field they name, translated,
with nothing stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stride.core import consultations as core_consultations
from stride.core.booking import CHANGE_NOTICE, may_change
from stride.core.corrections import CorrectionRefused
from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.errors import UnknownRuleSet
from stride.core.eligibility.model import Outcome
from stride.core.errors import InvalidValue, StrideError
from stride.core.scales.instruments import Instrument
from stride.web.accounts.models import User
from stride.web.evaluation import selectors, services
from stride.web.evaluation.access import (
    access_assessment,
    access_consultation,
    access_consultation_as_family,
    access_own_slot,
    access_slot_pages,
)
from stride.web.evaluation.forms import (
    DEFAULT_CLINIC_ZONE,
    FORMS,
    INSTRUMENT_LABELS,
    CandidacyForm,
    ConsultationForm,
    ConsultationNotesForm,
    EnteredInErrorForm,
    FamilyTimeZoneForm,
    SignForm,
    SlotChoiceForm,
    SlotForm,
    TeamNoteForm,
    WithdrawSlotForm,
)
from stride.web.evaluation.models import ConsultationSlot as ConsultationSlotModel
from stride.web.evaluation.wording import (
    FACT_LABELS,
    OUTCOME_LABELS,
    VERDICT_LABELS,
    booking_message,
    citation_text,
    fact_value_text,
    reason_text,
    rule_policy_text,
    rule_set_title,
    rule_text,
)
from stride.web.patients.access import (
    access_case_as_family,
    access_case_as_staff,
    cases_visible_to,
    signed_in,
)
from stride.web.patients.models import Case
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.audit.recording import record_reads
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.messages import problem_message, user_message
from stride.web.platform.names import canonical_time_zone, time_zone_choices


def _show_error(form: Form, error: StrideError, field: str | None) -> None:
    form.add_error(field, user_message(error))


def _same_day_note(instrument: str, on: date) -> str:
    """The warning shown for a same-day repeat of an assessment (accepted, not blocked)."""
    return _("A %(instrument)s was already recorded for %(date)s; both are kept; mark one "
             "entered in error if it was a mistake.") % {
        "instrument": INSTRUMENT_LABELS.get(instrument, instrument),
        "date": date_format(on, "DATE_FORMAT")}


def _superseded_rows(rows: list[selectors.Superseded]) -> list[dict[str, str]]:
    """Each fact a clinician's finding superseded, in words: the fact, what the family
    said, what was found, when and with which instrument."""
    return [{"fact": row.fact.value, "label": str(FACT_LABELS[row.fact]),
             "family": fact_value_text(row.fact, row.family_value),
             "found": fact_value_text(row.fact, row.found_value),
             "on": date_format(row.provenance.observed_on, "DATE_FORMAT"),
             "instrument": str(INSTRUMENT_LABELS.get(row.provenance.instrument.value, ""))
             if row.provenance.instrument else ""}
            for row in rows]


def _workspace_context(case: Case, user: User, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    page = selectors.workspace(case, today=today)
    repeats = selectors.same_day_repeats(page.assessments)
    family = selectors.family_side(case, today=today)
    return {
        "case": case, "page": page, "instruments": INSTRUMENT_LABELS,
        # Each assessment with why it is left out of the facts (core's words), if it is,
        # and the warning of a same-day repeat.
        "assessments": [(a, user_message(page.left_out[a.pk].error) if a.pk in page.left_out
                         else "",
                         _same_day_note(a.instrument, a.assessed_on) if a.pk in repeats
                         else "") for a in page.assessments],
        "family": family, "superseded": _superseded_rows(family.superseded),
        "is_responsible": page.responsible == user,
        "note_form": forms.get("note_form") or TeamNoteForm(),
        "candidacy_form": CandidacyForm(),
        "consultation_form": forms.get("consultation_form") or ConsultationForm(),
        "consultations": [(c, core_consultations.wall_clock(c.starts_at, c.family_time_zone),
                           core_consultations.wall_clock(c.starts_at, c.clinic_time_zone),
                           ConsultationNotesForm(initial={"notes": c.notes}))
                          for c in page.consultations],
        "decisions": [(d, *_decision_words(d)) for d in page.decisions],
    }


def _decision_words(decision: Any) -> tuple[str, str]:
    """A signed decision's rule set and outcome in the reader's words (never the codes)."""
    try:
        title = rule_set_title(get_rule_set(decision.rule_set_id))
    except UnknownRuleSet:
        title = decision.rule_set_name
    try:
        outcome = str(OUTCOME_LABELS[Outcome(decision.final_outcome)])
    except (ValueError, KeyError):
        outcome = _("Outcome not recognised; ask your administrator.")
    return title, outcome


@login_required
@require_safe
def workspace(request: HttpRequest, case_id: int) -> HttpResponse:
    """The evaluation workspace: documents, history, assessments, notes, decisions."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id)
    context = _workspace_context(case, user)
    page = context["page"]
    record_reads(actor=user, object_type=ObjectType.ASSESSMENT,
                 objects=((a.pk, case.patient_id) for a in page.assessments))
    family = context["family"]
    record_reads(actor=user, object_type=ObjectType.DOCUMENT,
                 objects=((row.document.pk, case.patient_id) for row in family.documents))
    record_reads(actor=user, object_type=ObjectType.MESSAGE,
                 objects=((m.pk, case.patient_id) for m in family.messages))
    if family.inquiry is not None:
        record_reads(actor=user, object_type=ObjectType.INQUIRY,
                     objects=((family.inquiry.pk, case.patient_id),))
    return render(request, "evaluation/workspace.html", context)


def _instrument(code: str) -> Instrument:
    try:
        return Instrument(code)
    except ValueError:
        raise Http404(NOT_FOUND_MESSAGE) from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request: HttpRequest, case_id: int, instrument: str) -> HttpResponse:
    """Record one assessment with an instrument's form; errors shown next to the field."""
    user = signed_in(request)
    kind = _instrument(instrument)
    case = access_case_as_staff(user, case_id, write=request.method == "POST")
    form = FORMS[kind](request.POST or None,
                       initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_assessment(
                by=user, case=case, instrument=kind.value,
                assessed_on=form.cleaned_data["assessed_on"],
                context=form.cleaned_data["context"], data=form.payload())
        except InvalidValue as error:
            _show_error(form, error, form.form_field(error.field))
        else:
            messages.success(request, _("The assessment was saved."))
            if selectors.has_same_day_twin(saved):
                messages.warning(request, _same_day_note(saved.instrument, saved.assessed_on))
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/assessment.html", {
        "case": case, "form": form, "instrument": kind,
        "label": INSTRUMENT_LABELS[kind.value]},
        status=400 if form.is_bound else 200)


@login_required
@require_POST
def team_note(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a note to the multidisciplinary review (any clinician or surgeon on the team)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = TeamNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_team_note(by=user, case=case, body=form.cleaned_data["body"])
        except InvalidValue as error:
            _show_error(form, error, "body")
        else:
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/workspace.html",
                  _workspace_context(case, user, note_form=form), status=400)


def _rule_set_or_404(code: str) -> Any:
    try:
        return get_rule_set(code)
    except UnknownRuleSet:
        raise Http404(NOT_FOUND_MESSAGE) from None


def _candidacy_context(case: Case, user: User, rule_set_id: str,
                       sign_form: SignForm | None = None) -> dict[str, Any]:
    rule_set = _rule_set_or_404(rule_set_id)
    today = timezone.localdate()
    built = selectors.case_facts(case, today=today)
    decision = evaluate(rule_set, built.facts)
    page = selectors.workspace(case, today=today)
    return {
        "case": case, "rule_set": rule_set, "built": built, "decision": decision,
        "outcome_label": OUTCOME_LABELS[decision.outcome],
        "rule_set_title": rule_set_title(rule_set),
        # Values in words (codes, flags and long floats are never shown as stored).
        "facts": [(p, FACT_LABELS[p.fact], fact_value_text(p.fact, built.facts.get(p.fact)),
                   INSTRUMENT_LABELS.get(p.instrument.value) if p.instrument else "")
                  for p in built.provenance],
        "missing": [(fact, FACT_LABELS[fact]) for fact in decision.missing],
        "results": [(r, citation_text(rule_set.rule(r.rule_id)), rule_text(rule_set, r.rule_id),
                     VERDICT_LABELS[r.verdict], reason_text(r),
                     rule_policy_text(rule_set, r.rule_id)) for r in decision.results],
        "is_responsible": page.responsible == user, "responsible": page.responsible,
        "signed": next((d for d in page.decisions if d.rule_set_name == rule_set.name), None),
        "sign_form": sign_form or SignForm(initial={"rule_set": rule_set.id}),
        "instruments": INSTRUMENT_LABELS,
        "left_out": [(item.assessment, user_message(item.error))
                     for item in page.left_out.values()],
    }


@login_required
@require_safe
def candidacy(request: HttpRequest, case_id: int) -> HttpResponse:
    """Run the engine on the latest facts and show every rule's result (nothing stored)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id)
    form = CandidacyForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/candidacy.html",
                  _candidacy_context(case, user, form.cleaned_data["rule_set"]))


@login_required
@require_POST
def sign(request: HttpRequest, case_id: int) -> HttpResponse:
    """The responsible clinician signs: agree, or override with a written reason."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_decision(
                by=user, case=case, rule_set_id=form.cleaned_data["rule_set"],
                signature=form.cleaned_data["signature"],
                override_outcome=form.cleaned_data["override_outcome"],
                reason=form.cleaned_data["override_reason"])
        except InvalidValue as error:
            _show_error(form, error, error.field if error.field in form.fields else None)
        except StrideError as error:
            _show_error(form, error, None)
        else:
            messages.success(request, _("The decision was signed and the family's letter "
                                        "issued."))
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    rule_set_id = str(form.data.get("rule_set", ""))
    return render(request, "evaluation/candidacy.html",
                  _candidacy_context(case, user, rule_set_id, sign_form=form), status=400)


@login_required
@require_POST
def consultation(request: HttpRequest, case_id: int) -> HttpResponse:
    """Book a video consultation with the family."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_consultation(
                by=user, case=case, clinician=user, **form.cleaned_data)
        except InvalidValue as error:
            _booking_error(form, error)
        else:
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/workspace.html",
                  _workspace_context(case, user, consultation_form=form), status=400)


@login_required
@require_POST
def consultation_notes(request: HttpRequest, case_id: int,
                       consultation_id: int) -> HttpResponse:
    """Save the notes of one consultation of the case."""
    user = signed_in(request)
    row = access_consultation(user, case_id, consultation_id, write=True)
    form = ConsultationNotesForm(request.POST)
    if form.is_valid():
        services.save_consultation_notes(by=user, consultation=row,
                                         notes=form.cleaned_data["notes"])
    return redirect(reverse("evaluation:workspace", args=[row.case_id]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_entered_in_error(request: HttpRequest, case_id: int,
                                assessment_id: int) -> HttpResponse:
    """Confirm, with a written reason, that an assessment was entered in error.

    The assessment is never changed or deleted: it stays struck through with the reason,
    and candidacy facts, the outcomes and the exports leave it out.
    """
    posting = request.method == "POST"
    row = access_assessment(request.user, case_id, assessment_id, write=posting)
    form = EnteredInErrorForm(request.POST or None)
    if posting and form.is_valid():
        try:
            services.mark_assessment_entered_in_error(
                by=signed_in(request), assessment=row, reason=form.cleaned_data["reason"])
        except CorrectionRefused as refused:
            for problem in refused.problems:
                form.add_error(problem.field if problem.field in form.fields else None,
                               problem_message(problem))
        else:
            messages.success(request, _(
                "The assessment is marked entered in error. It stays on record, struck "
                "through with your reason; candidacy and the outcomes no longer count it."))
            return redirect(reverse("evaluation:workspace", args=[row.case_id]))
    return render(request, "evaluation/entered_in_error.html", {
        "case": row.case, "assessment": row, "form": form, "correction": row.correction,
        "label": INSTRUMENT_LABELS.get(row.instrument, row.instrument),
    }, status=400 if posting else 200)


# ---------------------------------------------------------------------------------------
# Consultation slots (clinicians) and the family's booking (portal), issue 16


def _booking_error(form: Form, error: StrideError) -> None:
    field = getattr(error, "field", "") or ""
    form.add_error(field if field in form.fields else None,
                   booking_message(error) if isinstance(error, InvalidValue)
                   else user_message(error))


def _slot_rows(slots: list[Any]) -> list[tuple[Any, Any]]:
    return [(slot, core_consultations.wall_clock(slot.starts_at, slot.clinic_time_zone))
            for slot in slots]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    """My consultation slots: publish one or a weekly series; list and withdraw open ones."""
    posting = request.method == "POST"
    user = access_slot_pages(request.user, write=posting)
    my_cases = list(cases_visible_to(user).order_by("reference"))
    last = ConsultationSlotModel.objects.filter(clinician=user).order_by("-created_at").first()
    form = SlotForm(request.POST if posting else None,
                    cases=[(case.pk, case.reference) for case in my_cases],
                    initial={"clinic_time_zone": last.clinic_time_zone if last
                             else DEFAULT_CLINIC_ZONE,
                             "meeting_url": last.meeting_url if last else ""})
    if posting and form.is_valid():
        data = form.cleaned_data
        case = next((c for c in my_cases if c.pk == data["case"]), None)
        try:
            made = services.publish_slots(
                by=user, local_start=data["local_start"],
                clinic_time_zone=data["clinic_time_zone"],
                duration_minutes=data["duration_minutes"], meeting_url=data["meeting_url"],
                weeks=data["weeks"], case=case)
        except StrideError as error:
            _booking_error(form, error)
        else:
            messages.success(request, ngettext(
                "%(count)d slot was published.", "%(count)d slots were published.",
                len(made)) % {"count": len(made)})
            return redirect("evaluation:slots")
    mine = selectors.clinician_slots(user, now=timezone.now())
    # The "Offer to" list names the user's cases by reference: a read of each, audited.
    record_reads(actor=user, object_type=ObjectType.CASE_LIST,
                 objects=((case.pk, case.patient_id) for case in my_cases))
    booked = [slot.booking for slot in mine  # type: ignore[attr-defined]
              if slot.booking is not None]  # type: ignore[attr-defined]
    record_reads(actor=user, object_type=ObjectType.CONSULTATION,
                 objects=((c.pk, c.case.patient_id) for c in booked))
    return render(request, "evaluation/slots.html", {
        "form": form, "slots": _slot_rows(mine), "withdraw_form": WithdrawSlotForm(),
        "change_hours": int(CHANGE_NOTICE.total_seconds() // 3600),
    }, status=400 if posting else 200)


@login_required
@require_POST
def slot_withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw one of my open slots (kept on record, no longer offered)."""
    form = WithdrawSlotForm(request.POST)
    if not form.is_valid():
        access_slot_pages(request.user, write=True)
        raise Http404(NOT_FOUND_MESSAGE)
    slot = access_own_slot(request.user, form.cleaned_data["slot"])
    try:
        services.withdraw_slot(by=signed_in(request), slot=slot)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The slot was withdrawn."))
    return redirect("evaluation:slots")


@login_required
@require_POST
def consultation_cancel(request: HttpRequest, case_id: int,
                        consultation_id: int) -> HttpResponse:
    """The care team cancels a consultation (kept on record; a slot opens again)."""
    row = access_consultation(request.user, case_id, consultation_id, write=True)
    try:
        services.cancel_consultation(by=signed_in(request), consultation=row, by_family=False)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The consultation was cancelled."))
    return redirect(reverse("evaluation:workspace", args=[row.case_id]))


#: The cookie in which the family's pages keep the browser's time zone (zone-guess.js).
ZONE_GUESS_COOKIE = "stride_tz_guess"


def _family_zone(request: HttpRequest, user: User) -> tuple[str, bool]:
    """The zone to show times in and whether the family chose it: a valid ``tz`` asked
    for in the address, else the stored choice, else the browser's guess (the
    ``stride_tz_guess`` cookie set by zone-guess.js on the family's pages), else the
    site's. A guess is never stored: only the family's own choice is."""
    known = dict(time_zone_choices())
    # Old names (a stored choice from before, an older browser's guess) mean their zone.
    chosen = canonical_time_zone(selectors.chosen_time_zone(user))
    asked = canonical_time_zone(str(request.GET.get("tz", "")).strip())
    if asked and asked in known:
        return asked, asked == chosen
    if chosen:
        return chosen, True
    guessed = canonical_time_zone(str(request.COOKIES.get(ZONE_GUESS_COOKIE, "")).strip())
    if guessed and guessed in known:
        return guessed, False
    return DEFAULT_CLINIC_ZONE, False


def family_booking_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What the portal case page's "Book a video consultation" section shows: the case's
    consultations and the care team's open slots, in the family's time zone and the
    clinic's. The case was fetched through the door by the caller."""
    user = signed_in(request)
    now = timezone.now()
    zone, chosen = _family_zone(request, user)
    team = selectors.care_team_doctors(case)
    rank = {doctor.pk: index for index, doctor in enumerate(team)}
    open_slots = sorted(selectors.open_slots_for_case(case, now=now),
                        key=lambda s: (rank.get(s.clinician_id, len(rank)), s.starts_at))
    consultations = selectors.family_consultations(case)
    upcoming = [c for c in consultations if c.cancelled_at is None and c.starts_at > now]
    movable = next((c for c in upcoming if may_change(c.starts_at, now=now)), None)
    return {"booking": {
        "zone": zone, "zone_chosen": chosen,
        "zone_form": FamilyTimeZoneForm(initial={"time_zone": zone}),
        "slots": [(slot, core_consultations.wall_clock(slot.starts_at, zone),
                   core_consultations.wall_clock(slot.starts_at, slot.clinic_time_zone))
                  for slot in open_slots],
        "upcoming": [(c, core_consultations.wall_clock(c.starts_at, zone),
                      core_consultations.wall_clock(c.starts_at, c.clinic_time_zone),
                      may_change(c.starts_at, now=now)) for c in upcoming],
        "movable": movable,
        "change_hours": int(CHANGE_NOTICE.total_seconds() // 3600),
        "has_team": bool(team),
    }}


def _back_to_case(case_id: int, zone: str = "") -> HttpResponse:
    query = f"?{urlencode({'tz': zone})}" if zone else ""
    return redirect(reverse("portal:case", args=[case_id]) + query + "#booking")


def _family_choice(request: HttpRequest) -> tuple[int, str] | None:
    form = SlotChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a time from the list."))
        return None
    return form.cleaned_data["slot"], form.cleaned_data["time_zone"]


@login_required
@require_POST
def family_book(request: HttpRequest, case_id: int) -> HttpResponse:
    """A guardian books an open slot of the care team (routed as ``portal:consultation-book``)."""
    user = signed_in(request)
    case = access_case_as_family(user, case_id, contribute=True)
    choice = _family_choice(request)
    if choice is None:
        return _back_to_case(case.pk)
    try:
        services.book_slot(by=user, case=case, slot_id=choice[0], family_time_zone=choice[1],
                           by_family=True)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Your video consultation is booked. We will send you a "
                                    "reminder with the meeting link."))
    return _back_to_case(case.pk, choice[1])


@login_required
@require_POST
def family_move(request: HttpRequest, case_id: int, consultation_id: int) -> HttpResponse:
    """A guardian moves their consultation to another open slot (``portal:consultation-move``)."""
    row = access_consultation_as_family(request.user, case_id, consultation_id)
    choice = _family_choice(request)
    if choice is None:
        return _back_to_case(row.case_id)
    try:
        services.move_consultation(by=signed_in(request), consultation=row, slot_id=choice[0],
                                   family_time_zone=choice[1], by_family=True)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Your video consultation was moved to the new time."))
    return _back_to_case(row.case_id, choice[1])


@login_required
@require_POST
def family_cancel(request: HttpRequest, case_id: int, consultation_id: int) -> HttpResponse:
    """A guardian cancels their consultation (``portal:consultation-cancel``)."""
    row = access_consultation_as_family(request.user, case_id, consultation_id)
    try:
        services.cancel_consultation(by=signed_in(request), consultation=row, by_family=True)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Your video consultation was cancelled."))
    return _back_to_case(row.case_id)


@login_required
@require_POST
def family_time_zone(request: HttpRequest, case_id: int) -> HttpResponse:
    """A guardian chooses the time zone to see times in (``portal:consultation-time-zone``)."""
    user = signed_in(request)
    case = access_case_as_family(user, case_id)
    form = FamilyTimeZoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose your time zone from the list."))
        return _back_to_case(case.pk)
    zone = services.choose_time_zone(by=user, time_zone=form.cleaned_data["time_zone"])
    messages.success(request, _("Times are now shown in your time zone."))
    return _back_to_case(case.pk, zone)
