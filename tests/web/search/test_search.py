"""Case search in the triage queue and the staff dashboard (issue 16): names in any script,
reference, date of birth, e-mail, telephone; only one's own cases; audited. Synthetic data."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from stride.core.pathway import Programme
from stride.core.search_text import parse_query
from stride.web.accounts.models import User
from stride.web.patients import services
from stride.web.patients.models import Case
from stride.web.patients.selectors import search_cases
from stride.web.platform.audit.models import AuditEvent, ObjectType
from tests.conftest import Cast


def _child(*, given: str, family: str, reference: str, team: tuple[User, ...],
           email: str = "", phone: str = "", born: date = date(2019, 5, 17)) -> Case:
    patient = services.register_patient(
        by=None, given_name=given, family_name=family, date_of_birth=born, sex="female",
        country="SA", languages=["ar"], is_synthetic=True)
    services.add_guardian(by=None, patient=patient, given_name="فاطمة", family_name=family,
                          relationship="mother", preferred_language="ar", email=email,
                          phone=phone)
    case = services.open_case(by=None, patient=patient, programme=Programme.SDR,
                              reference=reference)
    for member in team:
        services.add_care_team_member(by=None, case=case, user=member)
    return case


@pytest.fixture
def children(cast: Cast) -> tuple[Case, Case]:
    """Two children of the same name: one on team A, one on team B."""
    ours = _child(given="مَريَم", family="الهاشمي", reference="SYN-A-0001",
                  team=(cast.coordinator_a, cast.clinician_a),
                  email="Maryam.Family@Example.org", phone="+966 55 123 4567")
    theirs = _child(given="مريم", family="الهاشمي", reference="SYN-B-0001",
                    team=(cast.coordinator_b,), email="other@example.org",
                    phone="+966 55 765 4321", born=date(2018, 1, 2))
    return ours, theirs


def _found(client: Client, url: str, query: dict[str, str]) -> str:
    """The page's list: each case listed is a link named by its reference (the search box
    itself repeats what was typed, so the page's whole text is not the list)."""
    response = client.get(url, query)
    assert response.status_code == 200
    return response.text.replace("</a>", "\n</a>")


def _listed(case: Case, text: str) -> bool:
    return f">{case.reference}\n</a>" in text


@pytest.mark.parametrize("url_name", ["coordination:queue", "patients:dashboard"])
def test_part_of_an_arabic_name_finds_ones_own_child_only(
        cast: Cast, client: Client, children: tuple[Case, Case], url_name: str) -> None:
    ours, theirs = children
    client.force_login(cast.coordinator_a)
    text = _found(client, reverse(url_name), {"q": "مري"})
    assert _listed(ours, text)
    assert not _listed(theirs, text)
    assert not _listed(cast.case_a, text)  # on the team, but not called Maryam
    assert "1 case matches your search." in text


@pytest.mark.parametrize("query", [
    "مريم", "مـــريم", "أريم", "الهاشمى", "مريم الهاشمي", "SYN-A-0001", "syna0001",
    "maryam.family@example.org", "0551234567", "+966 55 123 45 67", "2019-05-17", "17 May 2019",
])
def test_each_way_of_typing_finds_the_child(cast: Cast, client: Client,
                                            children: tuple[Case, Case], query: str) -> None:
    ours, theirs = children
    if query == "أريم":
        query = "ريم"  # a partial after the alef: still found
    client.force_login(cast.coordinator_a)
    text = _found(client, reverse("patients:dashboard"), {"q": query})
    assert _listed(ours, text), query
    assert not _listed(theirs, text)


def test_the_date_field_and_the_local_date_format(cast: Cast, client: Client,
                                                  children: tuple[Case, Case]) -> None:
    ours, _theirs = children
    client.force_login(cast.coordinator_a)
    assert _listed(ours, _found(client, reverse("coordination:queue"),
                                {"born_on": "2019-05-17"}))
    text = _found(client, reverse("patients:dashboard"), {"q": "17/05/2019"})
    assert _listed(ours, text)
    # Born on another day: nothing.
    text = _found(client, reverse("patients:dashboard"), {"born_on": "2019-05-18"})
    assert not _listed(ours, text)
    assert "No case matches your search." in text


def test_no_match_says_so_and_outsiders_see_nothing(cast: Cast, client: Client,
                                                    children: tuple[Case, Case]) -> None:
    ours, theirs = children
    client.force_login(cast.coordinator_a)
    text = _found(client, reverse("coordination:queue"), {"q": "Zzyzx"})
    assert "No case matches your search." in text
    assert not _listed(ours, text)
    # Team B's coordinator finds their own child, never ours.
    client.force_login(cast.coordinator_b)
    text = _found(client, reverse("coordination:queue"), {"q": "SYN-A-0001"})
    assert not _listed(ours, text)
    text = _found(client, reverse("coordination:queue"), {"q": "مريم"})
    assert _listed(theirs, text)
    assert not _listed(ours, text)


@pytest.mark.parametrize("username", ["analyst", "admin", "guardian_a"])
def test_the_queue_search_is_refused_to_non_staff(cast: Cast, client: Client,
                                                  children: tuple[Case, Case],
                                                  username: str) -> None:
    client.force_login(getattr(cast, username))
    response = client.get(reverse("coordination:queue"), {"q": "مريم"})
    assert response.status_code == 404


def test_analysts_dashboard_lists_no_child_when_searching(cast: Cast, client: Client,
                                                          children: tuple[Case, Case]) -> None:
    client.force_login(cast.analyst)
    text = _found(client, reverse("patients:dashboard"), {"q": "مريم"})
    assert not _listed(children[0], text)
    assert 'data-testid="case-search"' not in text


def test_a_search_is_audited_with_what_it_showed(cast: Cast, client: Client,
                                                children: tuple[Case, Case]) -> None:
    ours, theirs = children
    client.force_login(cast.coordinator_a)
    _found(client, reverse("coordination:queue"), {"q": "الهاشمي"})
    events = AuditEvent.objects.filter(actor=cast.coordinator_a,
                                       object_type=ObjectType.TRIAGE_QUEUE)
    assert events.filter(object_id="search: 1 found").exists()
    assert set(events.exclude(object_id__startswith="search").values_list(
        "patient_id", flat=True)) == {ours.patient_id}
    assert not AuditEvent.objects.filter(actor=cast.coordinator_a,
                                         patient_id=theirs.patient_id).exists()
    # The words typed are not kept in the trail.
    assert not AuditEvent.objects.filter(object_id__contains="الهاشمي").exists()


def test_search_text_follows_a_guardian_added_later(cast: Cast, client: Client) -> None:
    case = cast.case_a
    services.add_guardian(by=None, patient=case.patient, given_name="Иван",
                          family_name="Петров", relationship="father",
                          preferred_language="ru", phone="+359 88 765 4321")
    visible = Case.objects.filter(pk__in=[case.pk, cast.case_b.pk])
    assert list(search_cases(visible, parse_query("петров"))) == [case]
    assert list(search_cases(visible, parse_query("0887654321"))) == [case]
    assert list(search_cases(visible, parse_query("ИВАН петр"))) == [case]


def test_latin_and_chinese_names(cast: Cast) -> None:
    latin = _child(given="Zoë", family="Ó'Brien-Álvarez", reference="SYN-L-1",
                   team=(cast.coordinator_a,))
    chinese = _child(given="丽", family="王", reference="SYN-C-1", team=(cast.coordinator_a,))
    visible = Case.objects.all()
    assert list(search_cases(visible, parse_query("zoe alvarez"))) == [latin]
    assert list(search_cases(visible, parse_query("OBRIEN"))) == [latin]
    assert list(search_cases(visible, parse_query("王丽"))) == [chinese]
    assert list(search_cases(visible, parse_query("丽"))) == [chinese]


def test_postgresql_searches_with_a_trigram_index(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only (SQLite reads the column)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                       ["case_search_text_trgm"])
        row = cursor.fetchone()
    assert row is not None
    assert "gin_trgm_ops" in row[0]
