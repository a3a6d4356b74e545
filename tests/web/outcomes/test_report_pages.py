"""The cohort report and the claims check: analysts only, filters, empty and small cells."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from stride.core.registry.claims import TREATMENT_WORDS
from stride.core.registry.report import COLUMN_FIELDS, WindowColumns
from stride.web.outcomes.presentation import points
from stride.web.outcomes.selectors.cohort import ReportFilters, report_columns
from stride.web.patients.access import access_registry
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.platform.numbers import fixed
from stride.web.registry.models import AnchorKind, OutcomeWindow, RegistryStamp
from stride.web.registry.refresh import refresh_children
from tests.conftest import Cast
from tests.web.registry.registry_rows import make_child, make_cohort, make_window

NOT_ANALYSTS = ["guardian_a", "coordinator_a", "clinician_a", "surgeon_a", "admin"]
PAGES = ["outcomes:report", "outcomes:claims"]


def _events(user_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor_id=user_id,
                                          object_type__startswith="registry-").order_by("pk"))


@pytest.mark.parametrize("member", NOT_ANALYSTS)
@pytest.mark.parametrize("page", PAGES)
def test_everyone_but_analysts_gets_404_and_is_audited(cast: Cast, client: Client, member: str,
                                                      page: str) -> None:
    make_cohort(5)
    user = getattr(cast, member)
    client.force_login(user)
    response = client.get(reverse(page), {"claim": "96% improved after SDR"})
    assert response.status_code == 404
    assert "Cohort outcomes report" not in response.text
    (event,) = _events(user.pk)
    assert (event.action, event.outcome, event.patient_id) == (Action.READ, Outcome.DENIED, None)


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(db: None, client: Client, page: str) -> None:
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_analyst_reads_a_report_and_the_view_is_audited_without_a_child(
        cast: Cast, client: Client) -> None:
    make_cohort(6, follow_up=55.0)
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:report"),
                          {"treatment": "sdr", "comparison": "on", "gmfcs": "2"})
    assert response.status_code == 200
    assert "12 months after treatment" in response.text
    assert "Comparison: evaluated, untreated" in response.text
    (event,) = _events(cast.analyst.pk)
    assert event.outcome == Outcome.OK
    assert event.patient_id is None
    assert event.object_id == "treatment=sdr;gmfcs=2;comparison"
    # De-identified: no name, no pseudonym on the page.
    assert "Registrychild" not in response.text


def test_analyst_sees_the_nav_link_and_others_do_not(cast: Cast, client: Client) -> None:
    link = f'href="{reverse("outcomes:report")}"'
    client.force_login(cast.analyst)
    assert link in client.get(reverse("patients:dashboard")).text
    client.force_login(cast.clinician_a)
    assert link not in client.get(reverse("patients:dashboard")).text


def test_filters_select_the_windows_and_a_warm_read_is_one_query(
        db: None, django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    bg = make_child(gmfcs=2, country="BG")
    sa = make_child(gmfcs=3, country="SA", subtype="spastic-unilateral")
    untreated = make_child(gmfcs=2, country="BG")
    make_window(bg, kind="sdr", anchor_age=5.0, year=2022)
    make_window(bg, kind="botulinum-toxin", anchor_age=9.0, year=2024)
    make_window(sa, kind="sdr", anchor_age=6.0, year=2024)
    make_window(untreated, kind="untreated", anchor_age=5.5, year=2023)

    def children(**filters: Any) -> list[int]:
        return sorted(report_columns(ReportFilters(**filters)).child.tolist())

    # Read after a write: the stamp, then every window (on PostgreSQL in one aggregated
    # row); read again with nothing written since: the stamp only.
    with django_assert_max_num_queries(2):
        report_columns(ReportFilters(treatment="sdr", country="BG", gmfcs=2))
    with django_assert_max_num_queries(1):
        report_columns(ReportFilters(treatment="sdr", country="BG", gmfcs=2))
    assert children() == sorted([bg.pk, bg.pk, sa.pk])
    assert children(treatment="sdr") == sorted([bg.pk, sa.pk])
    assert children(treatment="sdr", comparison=True) == sorted([bg.pk, sa.pk, untreated.pk])
    assert children(country="SA") == [sa.pk]
    assert children(gmfcs=2, comparison=True) == sorted([bg.pk, bg.pk, untreated.pk])
    assert children(scpe_subtype="spastic-unilateral") == [sa.pk]
    assert children(age_band="8-12") == [bg.pk]
    assert children(age_band="4-8", comparison=True) == sorted([bg.pk, sa.pk, untreated.pk])
    assert children(year_from=2023, year_to=2024) == sorted([bg.pk, sa.pk])
    assert children(year_to=2022) == [bg.pk]


def test_filters_that_select_nothing_give_an_empty_report_not_an_error(
        cast: Cast, client: Client) -> None:
    make_cohort(6)
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:report"), {"country": "ZZ"})
    assert response.status_code == 200
    assert "No outcome window matches these filters" in response.text
    assert "Case mix of the selection" not in response.text
    assert _events(cast.analyst.pk)[0].object_id == "country=ZZ"


def test_bad_filters_are_explained_next_to_the_field(cast: Cast, client: Client) -> None:
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:report"),
                          {"year_from": "2025", "year_to": "2020", "country": "Bulgaria"})
    assert response.status_code == 200
    assert "The last year must not be before the first year (2025)" in response.text
    assert "Enter a two-letter ISO country code" in response.text
    assert "correct the filters marked above" in response.text
    assert _events(cast.analyst.pk)[0].object_id == "invalid-filters"


def test_small_cells_are_suppressed_on_the_page(cast: Cast, client: Client) -> None:
    make_cohort(6, follow_up=56.0)
    make_cohort(3, kind="untreated", follow_up=52.5)
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:report"), {"comparison": "on"})
    text = response.text
    assert "fewer than 5 (suppressed)" in text
    # The 6 treated children are shown (mean observed +6.0); the 3 untreated are not.
    assert "+6.0" in text
    assert "+2.5" not in text


def test_case_mix_is_shown_beside_the_published_scpe_distribution(
        cast: Cast, client: Client) -> None:
    make_cohort(6, subtype="spastic-bilateral")
    make_cohort(5, subtype="dyskinetic-dystonic")
    client.force_login(cast.analyst)
    text = client.get(reverse("outcomes:report")).text
    assert "54.55%" in text  # 6 of 11
    assert "45.45%" in text  # 5 of 11 dyskinetic
    for published in ("53.9%", "31.0%", "6.6%", "4.1%"):
        assert published in text
    assert "n = 9,128" in text


def test_claims_check_shows_the_reasons(cast: Cast, client: Client) -> None:
    make_cohort(6, follow_up=53.0)
    make_cohort(6, kind="untreated", follow_up=52.0)
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:claims"), {"claim": "96% improved after SDR"})
    assert response.status_code == 200
    text = response.text
    assert "Selective dorsal rhizotomy" in text
    assert "gives neither the number of children nor an interval" in text
    assert "In the untreated comparison group 100.0% of children rose too" in text
    assert "is above what the registry supports" in text
    (event,) = _events(cast.analyst.pk)
    assert (event.object_type, event.object_id) == ("registry-claim", "treatment=sdr;claimed=96")


def test_a_chosen_treatment_wins_over_the_claims_words(cast: Cast, client: Client) -> None:
    # A claim written in Russian names no treatment the parser reads; the choice does.
    make_cohort(6, kind="botulinum-toxin", follow_up=53.0)
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:claims"), {
        "claim": "96% детей улучшились после СДР", "treatment": "botulinum-toxin"})
    assert response.status_code == 200
    assert "Botulinum-toxin injections" in response.text
    (event,) = _events(cast.analyst.pk)
    assert event.object_id == "treatment=botulinum-toxin;claimed=96"


def test_a_claim_without_a_percentage_is_explained(cast: Cast, client: Client) -> None:
    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:claims"), {"claim": "most children improved"})
    assert response.status_code == 200
    assert "Write the claim with a percentage from 0 to 100" in response.text
    assert "Why a bare percentage misleads" not in response.text


def test_every_claim_treatment_is_an_anchor_kind() -> None:
    assert set(TREATMENT_WORDS) <= set(AnchorKind.values) - {AnchorKind.UNTREATED.value}


@pytest.mark.parametrize(("value", "text"), [
    (2.68, "+2.7"), (2.65, "+2.7"), (-0.44, "-0.4"), (-0.04, "0.0"), (0.04, "0.0"), (0.0, "0.0"),
    (None, "—")])
def test_points_are_rounded_half_up_not_cut(value: float | None, text: str) -> None:
    assert points(value) == text


def test_percentages_round_half_up() -> None:
    assert fixed(54.315, 2) == "54.32"
    assert fixed(96.0) == "96.0"


def test_groups_by_treatment_are_labelled_in_words(cast: Cast, client: Client) -> None:
    make_cohort(5, kind="sdr")
    make_cohort(5, kind="botulinum-toxin")
    make_cohort(5, kind="untreated")
    client.force_login(cast.analyst)
    text = client.get(reverse("outcomes:report"),
                      {"group_by": "treatment", "comparison": "on"}).text
    assert "Treated · Selective dorsal rhizotomy" in text
    assert "Treated · Botulinum-toxin injections" in text
    assert "Comparison: evaluated, untreated · No treatment" in text


def test_access_registry_records_the_action_asked_for(cast: Cast) -> None:
    assert access_registry(cast.analyst, object_type="registry-export", object_id="windows.csv",
                           action=Action.EXPORT) == cast.analyst
    with pytest.raises(Http404):
        access_registry(cast.surgeon_a, object_type="registry-export", action=Action.EXPORT)
    events = AuditEvent.objects.filter(object_type="registry-export").order_by("pk")
    assert [(e.actor_id, e.action, e.outcome) for e in events] == [
        (cast.analyst.pk, Action.EXPORT, Outcome.OK),
        (cast.surgeon_a.pk, Action.EXPORT, Outcome.DENIED)]


def test_columns_read_the_same_through_aggregates_and_values_list(db: None) -> None:
    # On PostgreSQL report_columns reads one aggregated row; it must equal the plain rows,
    # nulls included (NaN, not 0), blank subtypes and every anchor kind.
    child = make_child(gmfcs=None, subtype="")
    other = make_child(gmfcs=4, subtype="dyskinetic-choreoathetotic", country="SA")
    make_window(child, kind="untreated", baseline=None, follow_up=None, ci=None)
    make_window(child, kind="orthopaedic-surgery", months=24, anchor_age=9.25)
    make_window(other, kind="cell-therapy", months=6, follow_up=None, gmfcs=3)
    filters = ReportFilters(comparison=True)
    fast = report_columns(filters)
    plain = WindowColumns.from_rows(list(
        OutcomeWindow.objects.values_list(*COLUMN_FIELDS)))
    order_fast = np.lexsort((fast.horizon_months, fast.child))
    order_plain = np.lexsort((plain.horizon_months, plain.child))
    for field in fields(WindowColumns):
        np.testing.assert_array_equal(getattr(fast, field.name)[order_fast],
                                      getattr(plain, field.name)[order_plain],
                                      err_msg=field.name)
    assert np.isnan(fast.gmfcs).sum() == 2
    assert set(fast.anchor_kind.tolist()) == {"untreated", "orthopaedic-surgery", "cell-therapy"}


def test_no_window_gives_empty_columns(db: None) -> None:
    assert len(report_columns(ReportFilters(comparison=True))) == 0


def test_a_write_of_derived_rows_shows_in_the_next_report(db: None) -> None:
    child = make_child(gmfcs=2)
    make_window(child, kind="sdr", months=6)
    assert len(report_columns(ReportFilters())) == 1  # read, and kept in memory
    assert len(report_columns(ReportFilters())) == 1  # from memory
    make_window(child, kind="sdr", months=12)  # a write changes the stamp
    assert len(report_columns(ReportFilters())) == 2


def test_the_refresh_changes_the_stamp(db: None) -> None:
    child = make_child(gmfcs=2)
    make_window(child)
    before = RegistryStamp.objects.get(pk=1).token
    refresh_children([child.patient_id])
    assert RegistryStamp.objects.get(pk=1).token != before
