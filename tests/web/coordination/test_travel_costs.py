"""International coordination on a case: planned dates, travellers, cost estimates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.costs import cost_line
from stride.core.errors import InvalidValue
from stride.web.coordination import selectors, services
from stride.web.coordination.models import CostEstimate, CostLine, Traveller, TravelPlan
from stride.web.platform.audit.models import AuditEvent
from tests.conftest import Cast


def _url(name: str, cast: Cast, *args: int) -> str:
    return reverse(f"coordination:{name}", args=[cast.case_a.pk, *args])


def _lines(*rows: tuple[str, str, str]) -> dict[str, str]:
    data = {"lines-TOTAL_FORMS": "4", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "20"}
    for index, (description, quantity, amount) in enumerate(rows):
        data |= {f"lines-{index}-description": description,
                 f"lines-{index}-quantity": quantity, f"lines-{index}-unit_amount": amount}
    return data


def test_travel_plan_is_saved_and_updated(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("travel", cast), {"arrival_date": "2027-03-01",
                                                  "departure_date": "2027-03-21",
                                                  "interpreter_language": "AR"})
    assert response.status_code == 302
    plan = TravelPlan.objects.get(case=cast.case_a)
    assert (plan.arrival_date, plan.departure_date, plan.interpreter_language) == (
        date(2027, 3, 1), date(2027, 3, 21), "ar")
    client.post(_url("travel", cast), {"arrival_date": "2027-03-02", "departure_date": "",
                                       "interpreter_language": ""})
    plan.refresh_from_db()
    assert (plan.arrival_date, plan.departure_date, plan.updated_by) == (
        date(2027, 3, 2), None, cast.coordinator_a)
    assert AuditEvent.objects.filter(object_type="travel-plan").count() == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"arrival_date": "2027-03-21", "departure_date": "2027-03-01"},
     "The departure must be after the arrival."),
    ({"arrival_date": "2027-03-01", "departure_date": "2027-03-01"},
     "The departure must be after the arrival."),
    ({"arrival_date": "1 March"}, "Enter a valid date."),
    ({"interpreter_language": "Arabic!"}, "Choose the interpreter&#x27;s language from the list"),
])
def test_bad_travel_plans_are_refused(cast: Cast, client: Client, data: dict[str, str],
                                      message: str) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("travel", cast), data)
    assert response.status_code == 400
    assert message in response.text
    assert not TravelPlan.objects.exists()


def test_travellers_are_added_and_removed(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("traveller-add", cast), {
        "given_name": "Synthetic", "family_name": "Parent", "role": "guardian",
        "nationality": "sa"})
    assert response.status_code == 302
    traveller = Traveller.objects.get(plan__case=cast.case_a)
    assert traveller.nationality == "SA"
    page = client.get(_url("case", cast)).text
    assert 'data-testid="traveller"' in page
    assert client.post(_url("traveller-remove", cast, traveller.pk)).status_code == 302
    assert not Traveller.objects.exists()
    assert client.post(_url("traveller-remove", cast, traveller.pk)).status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"given_name": "", "family_name": "Parent", "role": "guardian", "nationality": "SA"},
     "This field is required."),
    ({"given_name": "A", "family_name": "B", "role": "uncle", "nationality": "SA"},
     "Select a valid choice."),
    ({"given_name": "A", "family_name": "B", "role": "guardian", "nationality": "S1"},
     "Choose the country from the list."),
])
def test_bad_travellers_are_refused(cast: Cast, client: Client, data: dict[str, str],
                                    message: str) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("traveller-add", cast), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Traveller.objects.exists()


def test_cost_estimate_with_exact_total(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("costs", cast), {
        "currency": "eur", **_lines(("Surgery", "1", "15000.10"), ("Hotel night", "14", "0.10"))})
    assert response.status_code == 302
    estimate = CostEstimate.objects.get(case=cast.case_a)
    assert estimate.currency == "EUR"
    assert selectors.estimate_total(estimate) == Decimal("15001.50")
    assert estimate.lines.count() == 2  # the two blank rows were ignored
    page = client.get(_url("case", cast)).text
    assert "€15,001.50" in page  # the amount as the reader's language writes it
    assert "Euro (EUR)" in page  # the currency by name


def test_amounts_are_localised_on_the_page(cast: Cast, client: Client) -> None:
    services.create_cost_estimate(by=cast.coordinator_a, case=cast.case_a, currency="BGN",
                                  lines=[cost_line("Surgery", 1, "15000.10")])
    client.force_login(cast.coordinator_a)
    page = client.get(_url("case", cast), HTTP_ACCEPT_LANGUAGE="bg").text
    # Bulgarian: decimal comma, grouped thousands, the currency's own sign (CLDR).
    assert "15\xa0000,10\xa0лв." in page
    assert "15,000.10" not in page


@pytest.mark.parametrize(("data", "message"), [
    ({"currency": "EURO", **_lines(("Surgery", "1", "10"))}, "Choose the currency from the list."),
    ({"currency": "XYZ", **_lines(("Surgery", "1", "10"))}, "Choose the currency from the list."),
    ({"currency": "EUR", **_lines()}, "Add at least one line"),
    ({"currency": "EUR", **_lines(("Surgery", "1", "-5"))}, "greater than or equal to 0"),
    ({"currency": "EUR", **_lines(("Surgery", "1", "10.005"))}, "no more than 2 decimal places"),
    ({"currency": "EUR", **_lines(("Surgery", "0", "10"))}, "greater than or equal to 1"),
    ({"currency": "EUR", **_lines(("", "1", "10"))}, "This field is required."),
    ({"currency": "EUR", **_lines(("Surgery", "1", "ten"))}, "Enter a number."),
])
def test_bad_cost_estimates_are_refused(cast: Cast, client: Client, data: dict[str, str],
                                        message: str) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("costs", cast), data)
    assert response.status_code == 400
    assert message in response.text
    assert not CostEstimate.objects.exists()
    assert not CostLine.objects.exists()


def test_service_checks_too(cast: Cast) -> None:
    with pytest.raises(InvalidValue, match="at least one cost line"):
        services.create_cost_estimate(by=cast.coordinator_a, case=cast.case_a, currency="EUR",
                                      lines=[])
    with pytest.raises(InvalidValue, match="after the arrival"):
        services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                                  arrival_date=date(2027, 1, 2), departure_date=date(2027, 1, 1))
    assert not CostEstimate.objects.exists()
    assert not TravelPlan.objects.exists()
