"""The child outcome page: who may open it, what it shows, and that it is honest."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast
from tests.web.registry.rows import episode, gmfm66, registry_child, sdr_child, window

pytestmark = pytest.mark.django_db

DOB = date(2019, 5, 17)


def _url(patient_id: int, query: str = "") -> str:
    return reverse("outcomes:child", args=[patient_id]) + query


def _age(on: date) -> float:
    return (on - DOB).days / 365.25


def _level_ii(age: float) -> float:
    # Shanghai 2012, GMFCS II: limit 62.4 points, 90% of it at 2.7 years (by hand).
    return 62.4 * (1 - math.exp(-math.log(10) * age / 2.7))


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize(("member", "sees"), [
    ("guardian_a", True), ("coordinator_a", True), ("clinician_a", True), ("surgeon_a", True),
    ("guardian_b", False), ("coordinator_b", False), ("clinician_b", False),
    ("analyst", False), ("admin", False),
])
def test_only_the_childs_people_see_the_page_and_every_attempt_is_audited(
        cast: Cast, client: Client, member: str, sees: bool) -> None:
    sdr_child(cast.case_a, cast.clinician_a)
    user = getattr(cast, member)
    client.force_login(user)
    patient = cast.case_a.patient

    response = client.get(_url(patient.pk))

    assert response.status_code == (200 if sees else 404)
    assert (patient.family_name in response.text) is sees
    event = AuditEvent.objects.filter(actor=user, object_type="patient").get()
    assert (event.action, event.object_id, event.patient_id) == (
        Action.READ, str(patient.pk), patient.pk)
    assert event.outcome == (Outcome.OK if sees else Outcome.DENIED)


def test_missing_and_not_yours_look_the_same(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician_a)
    missing = client.get(_url(999_999))
    not_yours = client.get(_url(cast.case_b.patient_id))
    assert missing.status_code == not_yours.status_code == 404
    assert _without_csrf(missing.text) == _without_csrf(not_yours.text)
    events = AuditEvent.objects.filter(actor=cast.clinician_a, object_type="patient")
    outcomes = {e.object_id: e.outcome for e in events}
    assert outcomes == {"999999": Outcome.NOT_FOUND, str(cast.case_b.patient_id): Outcome.DENIED}


def test_page_shows_observed_expected_and_excess_after_the_treatment(
        cast: Cast, client: Client) -> None:
    sdr = sdr_child(cast.case_a, cast.clinician_a)
    client.force_login(cast.clinician_a)

    html = client.get(_url(cast.case_a.patient_id)).text

    start, six = _age(date(2024, 4, 2)), _age(date(2024, 11, 20))
    expected = _level_ii(six) - _level_ii(start)
    excess = 6.0 - expected
    row = re.search(r'data-testid="window-6">(.*?)</tr>', html, re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>",
                                                                    row.group(1), re.S)]
    assert cells[3] == "+6.0"
    assert cells[4] == f"+{expected:.1f}"
    threshold = math.hypot(3.0, 3.2)
    assert cells[5] == f"{excess:+.1f} (± {threshold:.1f})"
    verdict = ("beyond the expected" if excess > threshold else
               "Within measurement error" if excess >= -threshold else "Below the expected")
    assert verdict in cells[6]
    missed = re.search(r'data-testid="window-24">(.*?)</tr>', html, re.S)
    assert missed is not None
    assert "No GMFM-66 in this follow-up window." in missed.group(1)
    assert f'data-testid="treatment-{sdr.pk}"' in html
    assert "Hospital admission" not in html  # admissions are not treatments here


def test_charts_are_svg_with_title_desc_and_treatment_marker(cast: Cast, client: Client) -> None:
    sdr_child(cast.case_a, cast.clinician_a)
    client.force_login(cast.clinician_a)
    html = client.get(_url(cast.case_a.patient_id)).text
    for chart in ("chart-gmfm66", "chart-gmfm88", "chart-mas"):
        assert f'id="{chart}" role="img"' in html
        assert f'<title id="{chart}-title">' in html
        assert f'<desc id="{chart}-desc">' in html
    assert "GMFCS II: expected curve for this child&#x27;s level" in html
    assert html.count(">Selective dorsal rhizotomy</text>") == 3  # the SDR on every chart
    assert "not a percentile band" in html
    assert "stride/charts.css" in html


def test_a_child_without_gmfcs_is_charted_and_says_why_there_is_no_expected_change(
        cast: Cast, client: Client) -> None:
    sdr_child(cast.case_a, cast.clinician_a, gmfcs=None)
    client.force_login(cast.clinician_a)
    html = client.get(_url(cast.case_a.patient_id)).text
    assert "No GMFCS level is recorded for this child." in html
    assert 'id="chart-gmfm66"' in html
    assert "this child&#x27;s level" not in html  # no curve is singled out
    assert html.count("No GMFCS level at baseline: observed change only") == 2
    assert "+6.0" in html  # the observed change is still shown


def test_child_not_yet_in_registry_is_charted_without_windows(cast: Cast, client: Client) -> None:
    gmfm66(cast.case_a, cast.clinician_a, date(2024, 4, 2), 50.0, 3.0)
    episode(cast.case_a, cast.clinician_a, "botulinum-toxin", date(2024, 6, 1))
    client.force_login(cast.coordinator_a)
    html = client.get(_url(cast.case_a.patient_id)).text
    assert 'data-testid="not-in-registry"' in html
    assert 'id="chart-gmfm66"' in html
    assert "No GMFM-88 total is recorded" in html


def test_an_unusable_reference_is_refused_next_to_the_field(cast: Cast, client: Client) -> None:
    sdr_child(cast.case_a, cast.clinician_a)
    client.force_login(cast.clinician_a)
    response = client.get(_url(cast.case_a.patient_id, "?reference=rosenbaum-2002@1"))
    assert response.status_code == 200
    assert "is not a usable reference set" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Showing Shi et al. 2012 (Shanghai) instead." in response.text
    chosen = client.get(_url(cast.case_a.patient_id, "?reference=shanghai-2012@1"))
    assert "is not a usable reference set" not in chosen.text
    assert '<option value="shanghai-2012@1" selected>' in chosen.text


def test_case_page_links_to_the_childs_outcomes(cast: Cast, client: Client) -> None:
    for user in (cast.clinician_a, cast.guardian_a):
        client.force_login(user)
        html = client.get(reverse("patients:case", args=[cast.case_a.pk])).text
        assert f'href="{_url(cast.case_a.patient_id)}" data-testid="outcomes-link"' in html


def test_an_untreated_child_shows_its_comparison_window(cast: Cast, client: Client) -> None:
    first, later = (date(2024, 1, 5), 40.0, 2.0), (date(2024, 7, 5), 43.0, 2.0)
    for on, score, half in (first, later):
        gmfm66(cast.case_a, cast.clinician_a, on, score, half)
    child = registry_child(cast.case_a, gmfcs=3)
    window(child, None, 6, gmfcs=3, anchor_kind="untreated", anchor_on=first[0],
           baseline=first, follow_up=later)
    client.force_login(cast.clinician_a)
    html = client.get(_url(cast.case_a.patient_id)).text
    block = re.search(r'data-testid="treatment-untreated">(.*?)</article>', html, re.S)
    assert block is not None
    assert "No treatment: change from the first GMFM-66" in block.group(1)
    assert "+3.0" in block.group(1)
    assert 'data-testid="not-in-registry"' not in html
