"""The triage queue: only the user's own cases, filters, the reply clock, audited reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.pathway import Stage
from stride.web.coordination.selectors import QueueFilters, triage_queue
from stride.web.intake.models import SelfCheckOutcome
from stride.web.patients import services as patient_services
from stride.web.patients.access import cases_visible_to
from stride.web.patients.models import Guardian, Patient
from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.conftest import Cast, make_case
from tests.web.coordination.factories import make_duplicate, make_inquiry

QUEUE = reverse("coordination:queue")
MONDAY = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _refs(cast: Cast, **filters: object) -> set[str]:
    rows = triage_queue(cases_visible_to(cast.coordinator_a), QueueFilters(**filters),  # type: ignore[arg-type]
                        now=timezone.now())
    return {row.case.reference for row in rows}


@pytest.fixture
def three(cast: Cast) -> dict[str, str]:
    """Case A plus two more of coordinator A's inquiries, of different children."""
    make_inquiry(cast.case_a, outcome=SelfCheckOutcome.CANDIDATE)
    young = make_case(team=(cast.coordinator_a,), family_name="Young")
    Patient.objects.filter(pk=young.patient_id).update(
        country="SA", languages=["ar"], date_of_birth=date.today() - timedelta(days=365 * 3 + 1))
    Guardian.objects.filter(patient_id=young.patient_id).update(preferred_language="ar")
    make_inquiry(young, outcome=SelfCheckOutcome.NOT_CANDIDATE, language="ar",
                 submitted_at=timezone.now() - timedelta(days=10))
    triaged = make_case(team=(cast.coordinator_a,), family_name="Triaged")
    patient_services.move_case(by=None, case_id=triaged.pk, to=Stage.TRIAGE)
    make_inquiry(triaged, outcome=SelfCheckOutcome.NEEDS_INFORMATION)
    return {"a": cast.case_a.reference, "young": young.reference, "triaged": triaged.reference}


def test_only_own_cases_at_inquiry_or_triage(cast: Cast, three: dict[str, str]) -> None:
    evaluated = make_case(team=(cast.coordinator_a,))
    patient_services.move_case(by=None, case_id=evaluated.pk, to=Stage.TRIAGE)
    patient_services.move_case(by=None, case_id=evaluated.pk, to=Stage.EVALUATION)
    assert _refs(cast) == set(three.values())
    assert cast.case_b.reference not in _refs(cast)


@pytest.mark.parametrize(("filters", "expected"), [
    ({"stage": "triage"}, {"triaged"}),
    ({"stage": "inquiry"}, {"a", "young"}),
    ({"country": "SA"}, {"young"}),
    ({"language": "ar"}, {"young"}),
    ({"language": "bg"}, {"a", "triaged"}),
    ({"max_age": 3}, {"young"}),
    ({"min_age": 4, "max_age": 12}, {"a", "triaged"}),
    ({"outcome": "not-candidate"}, {"young"}),
    ({"outcome": "needs-information"}, {"triaged"}),
    ({"min_waiting_days": 5}, {"young"}),
])
def test_each_filter(cast: Cast, three: dict[str, str], filters: dict[str, object],
                     expected: set[str]) -> None:
    assert _refs(cast, **filters) == {three[key] for key in expected}


def test_queue_page_lists_own_rows_audits_each_child_and_shows_the_clock(
        cast: Cast, client: Client, three: dict[str, str]) -> None:
    make_inquiry(cast.case_b)
    client.force_login(cast.coordinator_a)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.text.count('data-testid="queue-row"') == 3
    assert cast.case_b.reference not in response.text
    assert "overdue" in response.text  # the 10-day-old inquiry
    listed = AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="triage-queue")
    assert len(listed) == 3
    assert cast.case_b.patient_id not in set(listed.values_list("patient_id", flat=True))


def test_coordinator_b_sees_only_case_b(cast: Cast, client: Client) -> None:
    make_inquiry(cast.case_a)
    make_inquiry(cast.case_b)
    client.force_login(cast.coordinator_b)
    text = client.get(QUEUE).text
    assert cast.case_b.reference in text
    assert cast.case_a.reference not in text
    assert cast.case_a.patient.family_name not in text
    listed = AuditEvent.objects.filter(actor=cast.coordinator_b, object_type="triage-queue")
    assert list(listed.values_list("patient_id", flat=True)) == [cast.case_b.patient_id]


def test_filters_through_the_page(cast: Cast, client: Client, three: dict[str, str]) -> None:
    client.force_login(cast.coordinator_a)
    text = client.get(QUEUE, {"country": "sa", "outcome": "not-candidate"}).text
    assert three["young"] in text
    assert three["a"] not in text


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"country": "Bulgaria"}, "country", "two-letter country code"),
    ({"min_age": "8", "max_age": "4"}, "max_age", "at least the lower age"),
    ({"min_age": "-1"}, "min_age", "greater than or equal to 0"),
    ({"min_waiting_days": "soon"}, "min_waiting_days", "Enter a whole number"),
    ({"outcome": "eligible"}, "outcome", "Select a valid choice"),
])
def test_bad_filters_are_explained_and_not_applied(cast: Cast, client: Client,
                                                   three: dict[str, str], params: dict[str, str],
                                                   field: str, message: str) -> None:
    client.force_login(cast.coordinator_a)
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors[field]
    assert response.text.count('data-testid="queue-row"') == 3


@pytest.mark.parametrize("member", ["guardian_a", "analyst", "admin"])
def test_roles_without_a_queue_get_404_and_are_audited(cast: Cast, client: Client,
                                                       member: str) -> None:
    user = getattr(cast, member)
    client.force_login(user)
    assert client.get(QUEUE).status_code == 404
    event = AuditEvent.objects.get(actor=user, object_type="triage-queue")
    assert event.outcome == Outcome.DENIED


def test_possible_duplicate_is_marked_in_the_queue(cast: Cast, client: Client) -> None:
    inquiry = make_inquiry(cast.case_a)
    make_duplicate(inquiry, cast.case_b)
    client.force_login(cast.coordinator_a)
    assert "possible duplicate" in client.get(QUEUE).text


def test_the_clock_uses_business_days(cast: Cast) -> None:
    make_inquiry(cast.case_a, submitted_at=MONDAY - timedelta(days=3))  # a Friday
    row = triage_queue(cases_visible_to(cast.coordinator_a), QueueFilters(),
                       now=MONDAY + timedelta(hours=1))[0]
    assert row.clock is not None
    assert row.clock.business_days_waited == 1  # Friday 09:00 to Monday 09:00
    assert row.clock.state == "due-soon"  # due Tuesday 09:00
