"""The cost estimate as a letter the family sees, accepts or questions in the portal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.costs import cost_line
from stride.web.coordination import services
from stride.web.coordination.models import CostEstimate, Message
from stride.web.coordination.services import EstimateAlreadyAccepted
from stride.web.documents.models import Letter
from stride.web.events import EstimateAnswered, EstimateIssued, Event
from stride.web.patients.models import Guardian
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.platform.models import ProgrammeProfile
from tests.conftest import Cast


def _estimate(cast: Cast, *, send: bool = True, amount: str = "39850.00") -> CostEstimate:
    return services.create_cost_estimate(
        by=cast.coordinator_a, case=cast.case_a, currency="USD", send=send,
        valid_until=date(2099, 12, 31),
        lines=[cost_line("Synthetic surgery", 1, amount), cost_line("Hotel night", 14, "25.50")])


def _lines(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"lines-TOTAL_FORMS": "4", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20"}
    for index, (description, quantity, amount) in enumerate(rows):
        data |= {f"lines-{index}-description": description,
                 f"lines-{index}-quantity": quantity, f"lines-{index}-unit_amount": amount}
    return data


def test_sending_an_estimate_issues_its_letter_and_pdf_in_the_familys_language(
        cast: Cast, profile: ProgrammeProfile, media_root: Path,
        announced: list[Event]) -> None:
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(preferred_language="en")
    estimate = _estimate(cast)
    letter = estimate.letter
    assert letter is not None
    assert letter.kind == "cost-estimate"
    assert letter.language == "en"
    assert (media_root / letter.pdf_name).read_bytes().startswith(b"%PDF")
    html = letter.html
    assert "$39,850.00" in html
    assert "$25.50" in html
    assert "$357.00" in html
    assert "40,207.00 US dollars (USD)" in html  # the total with the currency by name
    assert "US Dollar" in html  # "All amounts are in US Dollar"
    assert "Decimal(" not in html
    assert "39850.00" not in html
    assert "31 December 2099" in html  # valid until
    assert "IBAN BG00 TEST 0000 0000 0000 00" in html  # the programme's bank details
    assert "Synthetic Test Neurosurgery Programme Ltd" in html
    issued = [event for event in announced if isinstance(event, EstimateIssued)]
    assert issued == [EstimateIssued(case_id=cast.case_a.pk, patient_id=cast.case_a.patient_id,
                                     estimate_id=estimate.pk, letter_id=letter.pk)]


def test_the_estimate_letter_is_in_bulgarian_for_a_bulgarian_family(
        cast: Cast, profile: ProgrammeProfile) -> None:
    letter = _estimate(cast).letter
    assert letter is not None
    assert letter.language == "bg"
    assert "40\xa0207,00 щатски долара (USD)" in letter.html


def test_a_draft_is_not_shown_to_the_family_until_sent(cast: Cast, client: Client,
                                                       announced: list[Event]) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("coordination:costs", args=[cast.case_a.pk]),
                           {"currency": "usd", **_lines(("Synthetic surgery", "1", "100"))})
    assert response.status_code == 302
    draft = CostEstimate.objects.get()
    assert draft.letter is None
    assert not announced
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    assert "Not sent: the family does not see it." in page
    assert "US Dollar (USD)" in page  # the currency by name
    client.force_login(cast.guardian_a)
    assert 'data-testid="family-estimate"' not in client.get(
        reverse("portal:case", args=[cast.case_a.pk])).text
    client.force_login(cast.coordinator_a)
    send = reverse("coordination:estimate-send", args=[cast.case_a.pk, draft.pk])
    assert client.post(send).status_code == 302
    draft.refresh_from_db()
    assert draft.letter is not None
    assert [type(event) for event in announced] == [EstimateIssued]
    client.post(send)  # sent twice: refused, nothing new
    assert Letter.objects.filter(kind="cost-estimate").count() == 1


def test_the_family_sees_accepts_once_and_the_coordinator_sees_it(
        cast: Cast, client: Client, announced: list[Event]) -> None:
    estimate = _estimate(cast)
    assert estimate.letter is not None
    client.force_login(cast.guardian_a)
    page = client.get(reverse("portal:case", args=[cast.case_a.pk])).text
    assert 'data-testid="family-estimate"' in page
    assert "$40,207.00" in page  # the total, in the page's language (English here)
    assert reverse("portal:letter-pdf", args=[cast.case_a.pk, estimate.letter.pk]) in page
    pdf = client.get(reverse("portal:letter-pdf", args=[cast.case_a.pk, estimate.letter.pk]))
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    answer = reverse("portal:estimate-answer", args=[cast.case_a.pk, estimate.pk])
    assert client.post(answer, {"answer": "accept"}).status_code == 302
    estimate.refresh_from_db()
    assert estimate.accepted_by == cast.guardian_a
    assert estimate.accepted_at is not None
    assert EstimateAnswered(case_id=cast.case_a.pk, patient_id=cast.case_a.patient_id,
                            estimate_id=estimate.pk, accepted=True) in announced
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type="cost-estimate",
                                     action="update", outcome=Outcome.OK).exists()
    again = client.post(answer, {"answer": "accept"})
    assert again.status_code == 400
    assert "You accepted this estimate already" in again.text
    with pytest.raises(EstimateAlreadyAccepted):
        services.answer_estimate(by=cast.guardian_a, case=cast.case_a, estimate=estimate,
                                 accepted=True)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    assert "Accepted on" in page
    assert cast.guardian_a.get_full_name() in page


def test_a_question_goes_to_the_case_conversation(cast: Cast, client: Client,
                                                  announced: list[Event]) -> None:
    estimate = _estimate(cast)
    client.force_login(cast.guardian_a)
    answer = reverse("portal:estimate-answer", args=[cast.case_a.pk, estimate.pk])
    empty = client.post(answer, {"answer": "question", "question": "  "})
    assert empty.status_code == 400
    assert "Write your question" in empty.text
    assert client.post(answer, {"answer": "question",
                                "question": "Is the hotel included?"}).status_code == 302
    message = Message.objects.get(case=cast.case_a)
    assert message.from_family
    assert "Is the hotel included?" in message.body
    estimate.refresh_from_db()
    assert estimate.question == message
    assert estimate.accepted_at is None
    assert [e.accepted for e in announced if isinstance(e, EstimateAnswered)] == [False]
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    assert "The family asked a question" in page


def test_a_newer_estimate_replaces_the_older_one(cast: Cast, client: Client) -> None:
    older = _estimate(cast)
    newer = _estimate(cast, amount="30000.00")
    client.force_login(cast.guardian_a)
    page = client.get(reverse("portal:case", args=[cast.case_a.pk])).text
    assert "This estimate replaces an earlier one." in page
    assert "$30,357.00" in page
    assert "$40,207.00" not in page
    refused = client.post(reverse("portal:estimate-answer", args=[cast.case_a.pk, older.pk]),
                          {"answer": "accept"})
    assert refused.status_code == 400
    assert "A newer estimate replaced this one" in refused.text
    older.refresh_from_db()
    assert older.accepted_at is None
    assert client.post(reverse("portal:estimate-answer", args=[cast.case_a.pk, newer.pk]),
                       {"answer": "accept"}).status_code == 302


@pytest.mark.parametrize("outsider", ["guardian_b", "coordinator_a", "coordinator_b",
                                      "clinician_a", "analyst", "admin"])
def test_only_the_family_answers_and_others_get_404_audited(
        cast: Cast, client: Client, outsider: str) -> None:
    estimate = _estimate(cast)
    user = getattr(cast, outsider)
    client.force_login(user)
    url = reverse("portal:estimate-answer", args=[cast.case_a.pk, estimate.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 404
    assert AuditEvent.objects.filter(actor=user).exclude(outcome=Outcome.OK).exists()
    estimate.refresh_from_db()
    assert estimate.accepted_at is None


def test_another_cases_estimate_reads_as_not_found(cast: Cast, client: Client) -> None:
    theirs = services.create_cost_estimate(
        by=cast.coordinator_b, case=cast.case_b, currency="EUR", send=True,
        lines=[cost_line("Synthetic surgery", 1, "100")])
    client.force_login(cast.guardian_a)
    url = reverse("portal:estimate-answer", args=[cast.case_a.pk, theirs.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type="cost-estimate",
                                     outcome=Outcome.NOT_FOUND).exists()
    client.force_login(cast.coordinator_a)
    send = reverse("coordination:estimate-send", args=[cast.case_a.pk, theirs.pk])
    assert client.post(send).status_code == 404


def test_a_draft_cannot_be_answered_by_the_family(cast: Cast, client: Client) -> None:
    draft = _estimate(cast, send=False)
    client.force_login(cast.guardian_a)
    url = reverse("portal:estimate-answer", args=[cast.case_a.pk, draft.pk])
    assert client.post(url, {"answer": "accept"}).status_code == 404
