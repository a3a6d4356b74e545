"""Care teams (issue 16): add, remove and hand over responsibility, with a reason, audited,
announced, kept as history; a removed member loses the case. All records are synthetic."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web import events
from stride.web.accounts.models import User
from stride.web.events import CareTeamChanged, Event
from stride.web.patients import services
from stride.web.patients.models import CareTeamChange, CareTeamMembership
from stride.web.patients.selectors import responsible_clinician
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType, Outcome
from tests.conftest import Cast, make_user


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[CareTeamChanged]:
    """The CareTeamChanged events announced during the test (besides the apps' handlers)."""
    heard: list[CareTeamChanged] = []

    def listen(event: Event) -> None:
        assert isinstance(event, CareTeamChanged)
        heard.append(event)

    monkeypatch.setitem(events._HANDLERS, CareTeamChanged,
                        [*events.handlers_of(CareTeamChanged), listen])
    return heard


def _post(client: Client, user: User, name: str, case_id: int, data: dict[str, object]) -> int:
    client.force_login(user)
    return client.post(reverse(f"coordination:{name}", args=[case_id]), data).status_code


def _members(case_id: int) -> set[str]:
    return set(CareTeamMembership.objects.current().filter(case_id=case_id)
               .values_list("user__username", flat=True))


def test_add_then_remove_with_reason_and_the_removed_member_loses_the_case(
        cast: Cast, client: Client, announced: list[CareTeamChanged]) -> None:
    case = cast.case_a
    newcomer = make_user(Role.CLINICIAN, "cleo")
    assert _post(client, cast.coordinator_a, "care-team-add", case.pk,
                 {"team-add-member": newcomer.pk, "team-add-reason": "Second opinion"}) == 302
    assert "cleo" in _members(case.pk)
    client.force_login(newcomer)
    assert client.get(reverse("coordination:case", args=[case.pk])).status_code == 200

    # Removing needs a reason.
    assert _post(client, cast.coordinator_a, "care-team-remove", case.pk,
                 {"team-remove-member": newcomer.pk, "team-remove-reason": "  "}) == 400
    assert "cleo" in _members(case.pk)
    assert _post(client, cast.coordinator_a, "care-team-remove", case.pk,
                 {"team-remove-member": newcomer.pk,
                  "team-remove-reason": "Assigned by mistake"}) == 302
    assert "cleo" not in _members(case.pk)

    # The history is kept: who, when, why.
    ended = CareTeamMembership.objects.get(case=case, user=newcomer)
    assert ended.removed_by == cast.coordinator_a
    assert ended.removal_reason == "Assigned by mistake"
    assert list(CareTeamChange.objects.filter(case=case, user=newcomer)
                .values_list("change", "reason")) == [("added", "Second opinion"),
                                                      ("removed", "Assigned by mistake")]
    assert [(e.change, e.user_id, e.by_id, e.reason) for e in announced] == [
        ("added", newcomer.pk, cast.coordinator_a.pk, "Second opinion"),
        ("removed", newcomer.pk, cast.coordinator_a.pk, "Assigned by mistake")]
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.UPDATE,
                                     object_type=ObjectType.CARE_TEAM,
                                     object_id=str(case.pk)).count() == 2

    # The removed member meets the 404 everywhere, audited, and no longer lists the case.
    client.force_login(newcomer)
    for url in (reverse("coordination:case", args=[case.pk]),
                reverse("patients:case", args=[case.pk]),
                reverse("evaluation:workspace", args=[case.pk])):
        assert client.get(url).status_code == 404, url
    assert AuditEvent.objects.filter(actor=newcomer, outcome=Outcome.DENIED).exists()
    assert case.reference not in client.get(reverse("patients:dashboard")).text

    # Added again later: a new membership, the old one stays in the history.
    services.add_care_team_member(by=cast.coordinator_a, case=case, user=newcomer)
    assert CareTeamMembership.objects.filter(case=case, user=newcomer).count() == 2
    assert "cleo" in _members(case.pk)


def test_the_last_coordinator_stays(cast: Cast, client: Client) -> None:
    case = cast.case_a
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("coordination:care-team-remove", args=[case.pk]),
                           {"team-remove-member": cast.coordinator_a.pk,
                            "team-remove-reason": "Leaving"})
    assert response.status_code == 400
    assert "This is the case&#x27;s last coordinator" in response.text
    assert "coordinator_a" in _members(case.pk)
    # With a second coordinator, the first may go.
    second = make_user(Role.COORDINATOR, "second-coordinator")
    services.add_care_team_member(by=cast.coordinator_a, case=case, user=second)
    assert _post(client, cast.coordinator_a, "care-team-remove", case.pk,
                 {"team-remove-member": cast.coordinator_a.pk,
                  "team-remove-reason": "Handed over"}) == 302
    assert "coordinator_a" not in _members(case.pk)


def test_changing_the_responsible_clinician(cast: Cast, client: Client,
                                            announced: list[CareTeamChanged]) -> None:
    case = cast.case_a
    services.set_responsible_clinician(by=cast.coordinator_a, case=case,
                                       clinician=cast.clinician_a)
    clio = make_user(Role.CLINICIAN, "clio")
    # A replacement needs a reason.
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("coordination:care-team-responsible", args=[case.pk]),
                           {"team-responsible-clinician": clio.pk})
    assert response.status_code == 400
    assert "Write the reason for this change" in response.text
    assert responsible_clinician(case) == cast.clinician_a
    # The responsible clinician cannot simply be removed: hand it over first.
    response = client.post(reverse("coordination:care-team-remove", args=[case.pk]),
                           {"team-remove-member": cast.clinician_a.pk,
                            "team-remove-reason": "Wrong person"})
    assert response.status_code == 400
    assert "make another clinician responsible first" in response.text
    assert _post(client, cast.coordinator_a, "care-team-responsible", case.pk,
                 {"team-responsible-clinician": clio.pk,
                  "team-responsible-reason": "Wrong clinician assigned"}) == 302
    assert responsible_clinician(case) == clio
    assert "clinician_a" in _members(case.pk)  # stays as a contributor
    assert _post(client, cast.coordinator_a, "care-team-remove", case.pk,
                 {"team-remove-member": cast.clinician_a.pk,
                  "team-remove-reason": "Wrong person"}) == 302
    changes = [(e.change, e.user_id) for e in announced]
    assert ("made-responsible", clio.pk) in changes
    assert ("removed", cast.clinician_a.pk) in changes
    # The new responsible clinician may change the team too.
    extra = make_user(Role.SURGEON, "extra-surgeon")
    assert _post(client, clio, "care-team-add", case.pk, {"team-add-member": extra.pk}) == 302
    assert "extra-surgeon" in _members(case.pk)


def test_other_members_see_the_team_but_cannot_change_it(cast: Cast, client: Client) -> None:
    case = cast.case_a
    client.force_login(cast.surgeon_a)
    page = client.get(reverse("coordination:case", args=[case.pk])).text
    assert f'action="/coordination/cases/{case.pk}/care-team/add/"' not in page
    response = client.post(reverse("coordination:care-team-add", args=[case.pk]),
                           {"team-add-member": cast.clinician_b.pk})
    assert response.status_code == 400
    assert "Only the case&#x27;s coordinators and its responsible clinician" in response.text
    assert "clinician_b" not in _members(case.pk)


@pytest.mark.parametrize("username", ["guardian_a", "coordinator_b", "clinician_b", "analyst",
                                      "admin"])
@pytest.mark.parametrize("name", ["care-team-add", "care-team-remove", "care-team-responsible"])
def test_outsiders_and_the_family_get_the_404(cast: Cast, client: Client, username: str,
                                              name: str) -> None:
    user = getattr(cast, username)
    status = _post(client, user, name, cast.case_a.pk, {
        "team-add-member": user.pk, "team-remove-member": cast.clinician_a.pk,
        "team-remove-reason": "x", "team-responsible-clinician": cast.clinician_b.pk,
        "team-responsible-reason": "x"})
    assert status == 404
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED,
                                     object_type=ObjectType.CASE).exists()
    assert _members(cast.case_a.pk) == {"coordinator_a", "clinician_a", "surgeon_a"}


def test_people_are_told_apart_by_role_email_and_username(cast: Cast, client: Client) -> None:
    cleo = make_user(Role.CLINICIAN, "demo-clinician-2")
    cleo.first_name, cleo.last_name, cleo.email = "Cleo", "Demo-Clinician", "cleo@test.invalid"
    cleo.save()
    clio = make_user(Role.CLINICIAN, "demo-clinician-3")
    clio.first_name, clio.last_name, clio.email = "Clio", "Demo-Clinician", "clio@test.invalid"
    clio.save()
    services.add_care_team_member(by=cast.coordinator_a, case=cast.case_a, user=cleo)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    cleo_label = "Cleo Demo-Clinician (Clinician · cleo@test.invalid · @demo-clinician-2)"
    clio_label = "Clio Demo-Clinician (Clinician · clio@test.invalid · @demo-clinician-3)"
    assert cleo_label in page  # a member, and in the remove list
    assert clio_label in page  # in the add and assign lists
    # Sorted by name in the lists: Cleo before Clio in the assign list.
    assign = page[page.index('name="clinician"'):]
    assert assign.index("Cleo Demo") < assign.index("Clio Demo")


def test_assigning_a_clinician_after_a_removal(cast: Cast) -> None:
    from stride.web.coordination.services import assign_clinician

    case = cast.case_a
    services.remove_care_team_member(by=cast.coordinator_a, case=case, user=cast.clinician_a,
                                     reason="Not this one")
    assign_clinician(by=cast.coordinator_a, case=case, clinician=cast.clinician_a)
    assert responsible_clinician(case) == cast.clinician_a
    assert "clinician_a" in _members(case.pk)
