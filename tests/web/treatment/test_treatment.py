"""Treatment pages: every episode kind stored or refused field by field, cell-therapy rules,
adverse events, and outsiders' audited 404s."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.consents import ConsentKind
from stride.core.pathway import Programme
from stride.core.treatment.episodes import SdrApproach
from stride.core.treatment.problems import EpisodeRefused
from stride.web.followup.models import Visit
from stride.web.ionm import services as ionm_services
from stride.web.patients import services as patient_services
from stride.web.patients.models import Case
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.treatment import services
from stride.web.treatment.models import AdverseEvent, Episode
from tests.conftest import Cast, make_case, schedule

OUTSIDERS = ["clinician_b", "coordinator_b", "guardian_a", "guardian_b", "analyst", "admin"]

COURSE = {
    "trial_id": "NCT01234567", "ethics_reference": "EC-2026-14", "cell_type": "MSC",
    "cell_source": "allogeneic umbilical cord", "protocol_visit_days": "30, 90",
    "administrations_0_given_on": "2026-03-02", "administrations_0_route": "lumbar-puncture",
    "administrations_0_dose": "1000000", "administrations_0_dose_unit": "cells/kg",
    "administrations_1_given_on": "2026-03-09", "administrations_1_route": "intravenous",
    "administrations_1_dose": "2000000", "administrations_1_dose_unit": "cells/kg",
}


@pytest.fixture(autouse=True)
def _scheduled(cast: Cast) -> None:
    """Both cases are scheduled: their programme's treatment may be recorded (issue 17)."""
    schedule(cast.case_a)
    schedule(cast.case_b)


def _cell_case(cast: Cast, *, consent: bool) -> Case:
    case = schedule(make_case(team=(cast.clinician_a, cast.coordinator_a),
                              programme=Programme.CELL_THERAPY))
    if consent:
        patient_services.grant_consent(by=None, patient=case.patient, kind=ConsentKind.RESEARCH,
                                       granted_by=case.patient.guardians.first())
    return case


def _post(client: Client, case: Case, kind: str, data: dict[str, str]) -> str:
    response = client.post(reverse("treatment:record", args=[case.pk, kind]), data)
    return f"{response.status_code}\n{response.text}"


def test_sdr_is_stored_with_hand_counts_and_plans_the_follow_up(cast: Cast,
                                                                 client: Client) -> None:
    client.force_login(cast.surgeon_a)
    response = client.post(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]), {
        "operated_on": "2026-03-02", "surgeon": "Dr Invented", "approach":
        "single-level-laminectomy", "levels_exposed": "L2, L3",
        "count_L2_left_tested": "5", "count_L2_left_cut": "2"})
    assert response.status_code == 302
    episode = Episode.objects.get(case=cast.case_a)
    assert episode.details["counts"] == [{"level": "L2", "side": "left", "tested": 5, "cut": 2}]
    assert [v.due_on for v in Visit.objects.filter(episode=episode)] == [
        date(2026, 3, 12), date(2026, 6, 2), date(2026, 9, 2), date(2027, 3, 2),
        date(2028, 3, 2)]


def test_sdr_problems_are_shown_next_to_their_fields(cast: Cast, client: Client) -> None:
    client.force_login(cast.surgeon_a)
    response = client.post(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]), {
        "operated_on": "", "surgeon": "Dr Invented", "approach": "", "levels_exposed": "L2",
        "count_L4_left_tested": "2", "count_L4_left_cut": "1",
        "count_L2_right_tested": "1", "count_L2_right_cut": "3"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"operated_on", "approach", "count_L4_left_cut", "count_L2_right_cut"}
    assert not Episode.objects.exists()


def test_a_complete_course_is_stored_and_plans_protocol_visits(cast: Cast,
                                                                client: Client) -> None:
    case = _cell_case(cast, consent=True)
    client.force_login(cast.clinician_a)
    assert _post(client, case, "cell-therapy-course", COURSE).startswith("302")
    episode = Episode.objects.get(case=case)
    assert (episode.starts_on, episode.ends_on) == (date(2026, 3, 2), date(2026, 3, 9))
    assert [v.due_on for v in Visit.objects.filter(case=case)] == [
        date(2026, 4, 1), date(2026, 5, 31)]
    page = client.get(reverse("treatment:episodes", args=[case.pk]))
    assert "investigational" in page.text


def test_a_course_without_trial_ethics_or_consent_is_refused_with_every_reason(
        cast: Cast, client: Client) -> None:
    case = _cell_case(cast, consent=False)
    client.force_login(cast.clinician_a)
    response = client.post(reverse("treatment:record", args=[case.pk, "cell-therapy-course"]),
                           COURSE | {"trial_id": "", "ethics_reference": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"trial_id", "ethics_reference", "__all__"}
    assert "research consent" in " ".join(form.non_field_errors())
    assert not Episode.objects.exists()
    assert not Visit.objects.exists()


def test_a_withdrawn_consent_and_a_malformed_trial_id_are_refused(cast: Cast,
                                                                  client: Client) -> None:
    case = _cell_case(cast, consent=True)
    consent = case.patient.consents.get(kind=ConsentKind.RESEARCH.value)
    patient_services.withdraw_consent(by=cast.coordinator_a, consent_id=consent.pk,
                                      reason="changed mind")
    client.force_login(cast.clinician_a)
    response = client.post(reverse("treatment:record", args=[case.pk, "cell-therapy-course"]),
                           COURSE | {"trial_id": "NCT123"})
    form = response.context["form"]
    assert "trial_id" in form.errors
    assert form.non_field_errors()
    assert not Episode.objects.exists()


def test_a_course_on_an_sdr_case_is_refused(cast: Cast, client: Client) -> None:
    patient_services.grant_consent(by=None, patient=cast.case_a.patient,
                                   kind=ConsentKind.RESEARCH, granted_by=None)
    client.force_login(cast.clinician_a)
    response = client.post(
        reverse("treatment:record", args=[cast.case_a.pk, "cell-therapy-course"]), COURSE)
    assert response.status_code == 400
    assert "cell-therapy" in " ".join(response.context["form"].non_field_errors())
    assert not Episode.objects.exists()


@pytest.mark.parametrize(("kind", "good", "bad", "bad_fields"), [
    ("rehabilitation-block",
     {"therapy_type": "physiotherapy", "hours_per_week": "10", "starts_on": "2026-03-02"},
     {"therapy_type": "", "hours_per_week": "169", "starts_on": "2026-03-02",
      "ends_on": "2026-03-01"},
     {"therapy_type", "hours_per_week", "ends_on"}),
    ("botulinum-toxin",
     {"given_on": "2026-03-02", "product": "toxin A", "injections_0_muscle": "soleus",
      "injections_0_side": "left", "injections_0_units": "40"},
     {"given_on": "2026-03-02", "product": "toxin A", "injections_1_muscle": "soleus",
      "injections_1_units": "-2"},
     {"injections_0_side", "injections_0_units"}),
    ("orthopaedic-surgery",
     {"operated_on": "2026-03-02", "surgeon": "Dr Invented", "procedures": "VDRO"},
     {"operated_on": "", "surgeon": "", "procedures": ""},
     {"operated_on", "surgeon", "procedures"}),
    ("admission",
     {"admitted_on": "2026-03-02", "discharged_on": "2026-03-05"},
     {"admitted_on": "2026-03-02", "discharged_on": "2026-03-01"},
     {"discharged_on"}),
])
def test_each_other_kind_is_stored_or_refused_field_by_field(
        cast: Cast, client: Client, kind: str, good: dict[str, str], bad: dict[str, str],
        bad_fields: set[str]) -> None:
    client.force_login(cast.clinician_a)
    url = reverse("treatment:record", args=[cast.case_a.pk, kind])
    response = client.post(url, bad)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == bad_fields
    assert not Episode.objects.exists()
    assert client.post(url, good).status_code == 302
    assert Episode.objects.get().kind == kind


def test_adverse_events_need_clavien_dindo_after_surgery(cast: Cast, client: Client) -> None:
    client.force_login(cast.surgeon_a)
    client.post(reverse("treatment:record", args=[cast.case_a.pk, "orthopaedic-surgery"]),
                {"operated_on": "2026-03-02", "surgeon": "Dr Invented", "procedures": "VDRO"})
    episode = Episode.objects.get()
    url = reverse("treatment:adverse-event", args=[cast.case_a.pk, episode.pk])
    event = {"description": "wound infection", "onset_on": "2026-03-06", "grade": "2",
             "relatedness": "definite", "outcome": "recovered"}
    response = client.post(url, event)
    assert set(response.context["form"].errors) == {"clavien_dindo"}
    assert client.post(url, event | {"clavien_dindo": "II"}).status_code == 302
    assert AdverseEvent.objects.get().clavien_dindo == "II"


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_an_audited_404_on_every_page_and_action(cast: Cast, client: Client,
                                                               member: str) -> None:
    episode = Episode.objects.create(case=cast.case_a, kind="admission",
                                     starts_on=date(2026, 3, 2), details={},
                                     recorded_by=cast.clinician_a)
    user = getattr(cast, member)
    client.force_login(user)
    case_id = cast.case_a.pk
    urls = [reverse("treatment:episodes", args=[case_id]),
            reverse("treatment:record", args=[case_id, "admission"]),
            reverse("treatment:adverse-event", args=[case_id, episode.pk])]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"admitted_on": "2026-03-02"}).status_code in {404, 405}
    denied = AuditEvent.objects.filter(actor=user, object_type="case", object_id=str(case_id),
                                       outcome=Outcome.DENIED)
    assert denied.count() == 5
    assert Episode.objects.count() == 1


@pytest.mark.parametrize("kind", ["sdr", "cell-therapy-course", "rehabilitation-block",
                                  "botulinum-toxin", "orthopaedic-surgery", "admission"])
def test_every_form_renders_and_the_case_page_links_here(cast: Cast, client: Client,
                                                         kind: str) -> None:
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("treatment:record", args=[cast.case_a.pk, kind])).status_code == 200
    case_page = client.get(reverse("patients:case", args=[cast.case_a.pk])).text
    assert reverse("treatment:episodes", args=[cast.case_a.pk]) in case_page
    assert reverse("followup:case", args=[cast.case_a.pk]) in case_page


def test_an_unknown_kind_is_not_found(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    url = reverse("treatment:record", args=[cast.case_a.pk, "homeopathy"])
    assert client.get(url).status_code == 404


def _sdr_form(**extra: str) -> dict[str, str]:
    return {"operated_on": "2026-03-02", "surgeon": "Dr Invented",
            "approach": "single-level-laminectomy", "levels_exposed": "L2", **extra}


def test_an_sdr_links_its_operating_room_session(cast: Cast, client: Client) -> None:
    session = ionm_services.start_session(by=cast.surgeon_a, case=cast.case_a,
                                          rule_set="phillips-park-v1", montage="spec",
                                          config_overrides={}).session
    client.force_login(cast.surgeon_a)
    form = client.get(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]))
    assert f'value="{session.pk}"' in form.text  # the case's own session is offered
    response = client.post(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]),
                           _sdr_form(rootlet_session=str(session.pk)))
    assert response.status_code == 302
    episode = Episode.objects.get(case=cast.case_a)
    assert episode.rootlet_session == session
    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk]))
    assert reverse("ionm:screen", args=[session.pk]) in page.text


def test_a_session_of_another_case_or_already_linked_is_refused(cast: Cast,
                                                                 client: Client) -> None:
    other = ionm_services.start_session(by=cast.surgeon_b, case=cast.case_b,
                                        rule_set="phillips-park-v1", montage="spec",
                                        config_overrides={}).session
    with pytest.raises(EpisodeRefused) as refused:
        services.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=date(2026, 3, 2),
                            surgeon="Dr Invented", approach=SdrApproach.SINGLE_LEVEL,
                            levels_exposed=["L2"], counts=[], rootlet_session=other)
    assert [p.code for p in refused.value.problems] == ["rootlet-session-other-case"]
    client.force_login(cast.surgeon_a)  # the form does not even offer it
    response = client.post(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]),
                           _sdr_form(rootlet_session=str(other.pk)))
    assert response.status_code == 400
    assert "rootlet_session" in response.context["form"].errors

    own = ionm_services.start_session(by=cast.surgeon_a, case=cast.case_a,
                                      rule_set="phillips-park-v1", montage="spec",
                                      config_overrides={}).session
    services.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=date(2026, 3, 2),
                        surgeon="Dr Invented", approach=SdrApproach.SINGLE_LEVEL,
                        levels_exposed=["L2"], counts=[], rootlet_session=own)
    response = client.post(reverse("treatment:record", args=[cast.case_a.pk, "sdr"]),
                           _sdr_form(rootlet_session=str(own.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["rootlet_session"] == [
        "This rootlet session is already linked to another SDR; each operation has its own "
        "session."]
    assert Episode.objects.filter(case=cast.case_a).count() == 1
