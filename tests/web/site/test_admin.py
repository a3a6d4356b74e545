"""Administrators enter questions, cost ranges and travel help in the admin, with their
words per language; a cost range whose lowest amount is above its highest is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.site.models import CostRange, Question, TravelHelp
from tests.conftest import make_user


def _inline(prefix: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


COST = {"programme": "sdr", "order": "1", "currency": "EUR", "low": "18000",
        "high": "26000", "valid_from": "2026-11-02", "published": "on"}
COST_TEXT = {"language": "en", "label": "SDR and four weeks", "included": "The operation.",
             "not_included": "Travel."}


@pytest.fixture
def admin_client(client: Client, db: None) -> Client:
    client.force_login(make_user(Role.ADMIN))
    return client


def test_an_administrator_enters_a_cost_range_with_its_words(admin_client: Client) -> None:
    add = reverse("admin:public_site_costrange_add")
    page = admin_client.get(add).content.decode()
    assert "Euro (EUR)" in page  # the currency chosen by its name
    response = admin_client.post(add, {**COST, **_inline("texts", [COST_TEXT])})
    assert response.status_code == 302, response.content.decode()[:3000]
    cost = CostRange.objects.get()
    assert (cost.low, cost.high, cost.currency) == (Decimal("18000"), Decimal("26000"), "EUR")
    assert cost.texts.get().label == "SDR and four weeks"
    assert "€18,000.00" in str(cost)


def test_a_lowest_amount_above_the_highest_is_refused_clearly(admin_client: Client) -> None:
    response = admin_client.post(reverse("admin:public_site_costrange_add"),
                                 {**COST, "low": "30000", **_inline("texts", [COST_TEXT])})
    assert response.status_code == 200
    assert "The highest amount is below the lowest amount." in response.content.decode()
    assert not CostRange.objects.exists()


def test_an_unknown_currency_or_negative_amount_is_refused(admin_client: Client) -> None:
    add = reverse("admin:public_site_costrange_add")
    response = admin_client.post(add, {**COST, "currency": "XXX",
                                       **_inline("texts", [COST_TEXT])})
    assert response.status_code == 200
    assert not CostRange.objects.exists()
    response = admin_client.post(add, {**COST, "low": "-1", **_inline("texts", [COST_TEXT])})
    assert response.status_code == 200
    assert not CostRange.objects.exists()


def test_the_model_and_the_database_refuse_a_reversed_range(db: None) -> None:
    cost = CostRange(programme="sdr", currency="EUR", low=Decimal("5"), high=Decimal("4"),
                     valid_from=date(2026, 1, 1))
    with pytest.raises(ValidationError) as refused:
        cost.full_clean()
    assert "high" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        cost.save()
    CostRange(programme="sdr", currency="EUR", low=Decimal("5"), high=Decimal("5"),
              valid_from=date(2026, 1, 1)).full_clean()  # equal amounts: a fixed price


def test_an_administrator_enters_a_question_in_two_languages_once_each(
        admin_client: Client) -> None:
    add = reverse("admin:public_site_question_add")
    rows = [{"language": "en", "question": "Parking?", "answer": "Yes."},
            {"language": "en", "question": "Again?", "answer": "No."}]
    response = admin_client.post(add, {"order": "1", "published": "on",
                                       **_inline("texts", rows)})
    assert response.status_code == 200  # the same language twice is refused
    assert not Question.objects.exists()
    rows[1] = {"language": "bg", "question": "Паркинг?", "answer": "Да."}
    response = admin_client.post(add, {"order": "1", "published": "on",
                                       **_inline("texts", rows)})
    assert response.status_code == 302
    assert sorted(Question.objects.get().texts.values_list("language", flat=True)) == [
        "bg", "en"]


def test_an_administrator_enters_a_travel_section(admin_client: Client) -> None:
    response = admin_client.post(reverse("admin:public_site_travelhelp_add"), {
        "topic": "visas", "order": "1", "published": "on",
        **_inline("texts", [{"language": "ar", "title": "التأشيرات", "body": "نص."}])})
    assert response.status_code == 302
    assert TravelHelp.objects.get().texts.get().title == "التأشيرات"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CLINICIAN, Role.GUARDIAN,
                                  Role.ANALYST])
def test_only_administrators_reach_the_content_in_the_admin(client: Client, db: None,
                                                            role: Role) -> None:
    client.force_login(make_user(role))
    response = client.get(reverse("admin:public_site_costrange_add"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
