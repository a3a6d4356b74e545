"""Every coordinator page: 404 and an audit event for whoever is not on the case's team."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.coordination import services
from stride.web.coordination.models import Message, Traveller
from stride.web.documents.models import Letter, LetterKind
from stride.web.intake.models import DuplicateResolution
from stride.web.patients.models import Case
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast, make_case
from tests.web.coordination.factories import make_duplicate, make_inquiry

READ_PAGES = ["case", "letter", "letter-pdf"]
WRITE_PAGES = [
    ("request-information", {"body": "Please send the MRI report."}),
    ("assign", {"clinician": "0"}),
    ("decline", {"reason": "Not suitable."}),
    ("travel", {"arrival_date": "2027-03-01"}),
    ("traveller-add", {"given_name": "A", "family_name": "B", "role": "guardian",
                       "nationality": "BG"}),
    ("costs", {"currency": "EUR"}),
    ("letter-issue", {"kind": "acknowledgement"}),
    ("duplicate", {"resolution": "duplicate"}),
    ("traveller-remove", {}),
]
OUTSIDERS = ["coordinator_b", "clinician_b", "guardian_a", "guardian_b", "analyst", "admin"]


@pytest.fixture
def setup(cast: Cast) -> dict[str, int]:
    inquiry = make_inquiry(cast.case_a)
    flag = make_duplicate(inquiry, make_case())
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.ACKNOWLEDGEMENT)
    traveller = services.add_traveller(by=cast.coordinator_a, case=cast.case_a,
                                       given_name="Synthetic", family_name="Traveller",
                                       role="guardian", nationality="BG")
    return {"letter": letter.pk, "duplicate": flag.pk, "traveller": traveller.pk}


def _url(name: str, case_id: int, ids: dict[str, int]) -> str:
    extra = {"letter": ids["letter"], "letter-pdf": ids["letter"],
             "duplicate": ids["duplicate"], "traveller-remove": ids["traveller"]}
    args = [case_id, extra[name]] if name in extra else [case_id]
    return reverse(f"coordination:{name}", args=args)


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_404_on_every_page_and_are_audited(cast: Cast, client: Client,
                                                         setup: dict[str, int],
                                                         member: str) -> None:
    user = getattr(cast, member)
    client.force_login(user)
    for name in READ_PAGES:
        response = client.get(_url(name, cast.case_a.pk, setup))
        assert response.status_code == 404, name
        assert cast.case_a.patient.family_name not in response.text
    for name, data in WRITE_PAGES:
        assert client.post(_url(name, cast.case_a.pk, setup), data).status_code == 404, name
    events = AuditEvent.objects.filter(actor=user, object_type="case",
                                       patient_id=cast.case_a.patient_id)
    assert events.count() == len(READ_PAGES) + len(WRITE_PAGES)
    assert set(events.values_list("outcome", flat=True)) == {Outcome.DENIED}
    assert events.filter(action=Action.UPDATE).count() == len(WRITE_PAGES)
    # Nothing changed on case A.
    assert not Message.objects.exists()
    assert Letter.objects.count() == 1
    assert Traveller.objects.count() == 1
    assert Case.objects.get(pk=cast.case_a.pk).stage == "inquiry"
    assert cast.case_a.inquiry.duplicates.get().resolution == DuplicateResolution.OPEN


def test_missing_case_is_the_same_404_and_audited_as_not_found(cast: Cast,
                                                               client: Client) -> None:
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("coordination:case", args=[999_999])).status_code == 404
    event = AuditEvent.objects.get(actor=cast.coordinator_a, object_type="case")
    assert (event.object_id, event.outcome) == ("999999", Outcome.NOT_FOUND)


@pytest.mark.parametrize("member", ["coordinator_a", "clinician_a", "surgeon_a"])
def test_the_care_team_reads_every_page(cast: Cast, client: Client, setup: dict[str, int],
                                        member: str) -> None:
    client.force_login(getattr(cast, member))
    for name in READ_PAGES:
        assert client.get(_url(name, cast.case_a.pk, setup)).status_code == 200, name


def test_anonymous_users_are_sent_to_sign_in(cast: Cast, client: Client) -> None:
    for url in (reverse("coordination:queue"),
                reverse("coordination:case", args=[cast.case_a.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
