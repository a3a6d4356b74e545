"""Hip surveillance on the child outcome page: each hip's migration, flags and next x-ray."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from stride.core.errors import InvalidValue
from stride.core.followup.hips import HipFlagCode, HipXrayStatus, RateMethod
from stride.core.followup.schedules import VisitState
from stride.web.evaluation.models import AssessmentCorrection
from stride.web.outcomes import wording
from stride.web.outcomes.charts import ChartText, HipReading, Threshold, hip_chart, render_svg
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.platform.models import ProgrammeProfile
from tests.conftest import Cast
from tests.web.registry.rows import assess

pytestmark = pytest.mark.django_db

RISING = ((date(2022, 6, 1), 20.0, 10.0), (date(2023, 6, 1), 28.0, 11.0),
          (date(2024, 6, 1), 35.0, 10.0))
STABLE = ((date(2022, 6, 1), 10.0, 12.0), (date(2023, 6, 1), 11.0, 12.0),
          (date(2024, 6, 1), 10.0, 13.0))
#: Below both published thresholds, but rising 6 points a year.
MODERATE = ((date(2022, 6, 1), 10.0, 10.0), (date(2023, 6, 1), 16.0, 10.0),
            (date(2024, 6, 1), 22.0, 10.0))


def _xrays(cast: Cast, rows: tuple[tuple[date, float, float], ...], *,
           gmfcs: int | None = 3) -> None:
    if gmfcs is not None:
        assess(cast.case_a, cast.clinician_a, "gmfcs", date(2022, 6, 1), float(gmfcs))
    for on, left, right in rows:
        assess(cast.case_a, cast.clinician_a, "hip-migration", on, max(left, right),
               data={"left_percent": left, "right_percent": right})


def _page(client: Client, cast: Cast) -> str:
    client.force_login(cast.clinician_a)
    response = client.get(reverse("outcomes:child", args=[cast.case_a.patient_id]))
    assert response.status_code == 200
    return response.text


def _section(html: str) -> str:
    found = re.search(r'<section[^>]*data-testid="hips">(.*?)</section>', html, re.S)
    assert found is not None
    return found.group(1)


def _part(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:article|dd|li|p)>', html, re.S)
    assert found is not None, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def _policy(rate: str = "5.0", version: int = 1) -> ProgrammeProfile:
    return ProgrammeProfile.objects.create(
        legal_name="Synthetic Programme", hip_rise_points_per_year=Decimal(rate),
        hip_rise_policy_version=version,
        hip_rise_policy_set_by="The programme's orthopaedic board, March 2026, to review "
                               "fast-moving hips early.")


def test_a_rising_hip_is_flagged_with_both_published_thresholds_and_their_sources(
        cast: Cast, client: Client) -> None:
    _xrays(cast, RISING)
    section = _section(_page(client, cast))

    assert _part(section, "hip-left-latest") == "35 % (1 June 2024)"
    days = np.array([(on - RISING[0][0]).days for on, _, _ in RISING]) / 365.25
    slope = np.polyfit(days, [left for _, left, _ in RISING], 1)[0]
    rate = _part(section, "hip-left-rate")
    assert rate.startswith(f"+{slope:.1f} percentage points per year")
    assert "least-squares line through the x-rays of the last two years (3 x-ray dates)" in rate
    refer = _part(section, "hip-flag-left-refer-for-orthopaedic-review")
    assert "Migration 35 % is at or above 30 %: refer for orthopaedic review." in refer
    assert "Source: Queensland state-wide hip surveillance programme." in refer
    individual = _part(section, "hip-flag-left-individual-assessment")
    assert "Migration 35 % is above 33 %: individual assessment." in individual
    assert "Source: CPUP hip surveillance 2015." in individual
    # No programme rate: no rate flag, and the page says why.
    assert "rising-faster-than-policy" not in section
    assert "The programme has set no rate of rise per year" in _part(section, "hip-policy")
    # The right hip stays low: no flag.
    assert 'data-testid="hip-right-no-flag"' in section
    assert "hip-flag-right" not in section
    # The next x-ray by CPUP: GMFCS III, yearly after the last one (child 6 on that day).
    assert _part(section, "hip-next-xray").startswith(
        "Next hip x-ray due 1 June 2025 (overdue).")
    assert 'id="chart-hips" role="img"' in section
    assert '<title id="chart-hips-title">Hip migration percentage over age</title>' in section
    assert ">30 %</text>" in section  # the threshold lines are named
    assert ">33 %</text>" in section


def test_stable_low_hips_raise_no_flag(cast: Cast, client: Client) -> None:
    _xrays(cast, STABLE)
    section = _section(_page(client, cast))
    assert "hip-flag-" not in section
    assert 'data-testid="hip-left-no-flag"' in section
    assert 'data-testid="hip-right-no-flag"' in section
    assert _part(section, "hip-right-latest") == "13 % (1 June 2024)"


def test_the_rate_flag_only_under_the_programmes_own_policy(
        cast: Cast, client: Client) -> None:
    _xrays(cast, MODERATE)
    without = _section(_page(client, cast))
    assert "hip-flag-" not in without

    _policy("5.0")
    with_policy = _section(_page(client, cast))
    flag = _part(with_policy, "hip-flag-left-rising-faster-than-policy")
    assert re.search(r"Rising 6\.\d percentage points per year, faster than the programme's "
                     r"rate of 5\.0 points per year\.", flag.replace("&#x27;", "'")), flag
    assert "Programme policy programme-hip-rise-v1, not a published threshold" in flag
    assert "orthopaedic board, March 2026" in flag
    assert "hip-flag-right" not in with_policy  # the flat right hip
    assert "refer-for-orthopaedic-review" not in with_policy  # 22 % is below 30 %

    ProgrammeProfile.objects.update(hip_rise_points_per_year=Decimal("8.0"),
                                    hip_rise_policy_version=2)
    assert "hip-flag-" not in _section(_page(client, cast))


def test_an_assessment_entered_in_error_is_left_out(cast: Cast, client: Client) -> None:
    _xrays(cast, STABLE)
    wrong = assess(cast.case_a, cast.clinician_a, "hip-migration", date(2024, 7, 1), 60.0,
                   data={"left_percent": 60.0, "right_percent": 12.0})
    assert "hip-flag-left" in _section(_page(client, cast))
    AssessmentCorrection.objects.create(assessment=wrong, reason="Wrong child's x-ray.",
                                        marked_by=cast.clinician_a)
    section = _section(_page(client, cast))
    assert "hip-flag-" not in section
    assert "60 %" not in section


@pytest.mark.parametrize(("gmfcs", "words"), [
    (None, "Not planned: GMFCS level unknown."),
    (1, "No x-ray while stable at GMFCS I."),
])
def test_the_next_xray_in_words_when_none_is_planned(
        cast: Cast, client: Client, gmfcs: int | None, words: str) -> None:
    _xrays(cast, STABLE, gmfcs=gmfcs)
    assert _part(_section(_page(client, cast)), "hip-next-xray").startswith(words)


def test_a_child_without_hip_xrays(cast: Cast, client: Client) -> None:
    section = _section(_page(client, cast))
    assert 'data-testid="hip-none"' in section
    assert "chart-hips" not in section
    # No GMFCS level either: the schedule is not guessed.
    assert _part(section, "hip-next-xray").startswith("Not planned: GMFCS level unknown.")


@pytest.mark.parametrize("member", ["guardian_b", "clinician_b", "coordinator_b", "analyst",
                                    "admin"])
def test_outsiders_get_the_audited_404_and_no_hip(cast: Cast, client: Client,
                                                  member: str) -> None:
    _xrays(cast, RISING)
    user = getattr(cast, member)
    client.force_login(user)
    response = client.get(reverse("outcomes:child", args=[cast.case_a.patient_id]))
    assert response.status_code == 404
    assert "Hip surveillance" not in response.text
    assert "35 %" not in response.text
    event = AuditEvent.objects.filter(actor=user, object_type="patient").get()
    assert (event.action, event.object_id, event.outcome) == (
        Action.READ, str(cast.case_a.patient_id), Outcome.DENIED)


def test_the_family_sees_the_same_hips(cast: Cast, client: Client) -> None:
    _xrays(cast, RISING)
    client.force_login(cast.guardian_a)
    section = _section(client.get(reverse("outcomes:child",
                                          args=[cast.case_a.patient_id])).text)
    assert "hip-flag-left-refer-for-orthopaedic-review" in section


def test_every_hip_value_is_in_words(cast: Cast, client: Client) -> None:
    _xrays(cast, RISING)
    _policy("3.5")
    section = _section(_page(client, cast))
    text = re.sub(r"<[^>]+>", " ", section)
    for program_value in ("HipFlagCode", "RateMethod", "HipXrayStatus", "VisitState", "Side.",
                          "None", "True", "False", "{'", "(<", "refer-for-orthopaedic-review",
                          "individual-assessment", "rising-faster-than-policy",
                          "least-squares-last-two-years", "last-two-x-rays", "percent_per_year",
                          "left_percent"):
        assert program_value not in text, program_value
    assert not re.search(r"\d\.\d{2,}", text), re.findall(r"\S*\d\.\d{2,}\S*", text)
    # SVG coordinates are rounded to one decimal too.
    assert not re.search(r"\d\.\d{2,}", section)


def test_every_code_has_words() -> None:
    assert set(wording.HIP_FLAG_LABELS) == set(HipFlagCode)
    assert set(wording.RATE_METHOD_LABELS) == set(RateMethod)
    assert set(wording.XRAY_STATUS_LABELS) == set(HipXrayStatus)
    assert set(wording.XRAY_STATE_LABELS) == set(VisitState)


def test_the_profile_refuses_a_rate_without_its_version_and_author(cast: Cast) -> None:
    profile = ProgrammeProfile(legal_name="Synthetic Programme",
                               hip_rise_points_per_year=Decimal("5.0"))
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert set(refused.value.message_dict) == {"hip_rise_policy_version",
                                               "hip_rise_policy_set_by"}
    stored = _policy("5.0", version=1)
    stored.hip_rise_points_per_year = Decimal("4.0")
    with pytest.raises(ValidationError) as same_version:
        stored.full_clean()
    assert "raise its version above 1" in str(same_version.value)
    stored.hip_rise_policy_version = 2
    stored.full_clean()
    empty = ProgrammeProfile(legal_name="Synthetic Programme")
    empty.full_clean()  # no rate at all: nothing else asked


def test_the_case_page_shows_the_care_team_the_hip_flags(cast: Cast, client: Client) -> None:
    _xrays(cast, RISING)
    url = reverse("patients:case", args=[cast.case_a.pk])
    client.force_login(cast.clinician_a)
    html = client.get(url).text
    panel = re.search(r'data-testid="hip-flags-panel">(.*?)</section>', html, re.S)
    assert panel is not None
    assert "Left hip: Refer for orthopaedic review." in panel.group(1)
    assert "Source: CPUP hip surveillance 2015." in panel.group(1)
    assert reverse("outcomes:child", args=[cast.case_a.patient_id]) in panel.group(1)
    client.force_login(cast.guardian_a)  # the family reads them on the outcomes page
    assert "hip-flags-panel" not in client.get(url).text


def test_no_hip_panel_without_a_flag(cast: Cast, client: Client) -> None:
    _xrays(cast, STABLE)
    client.force_login(cast.clinician_a)
    html = client.get(reverse("patients:case", args=[cast.case_a.pk])).text
    assert "hip-flags-panel" not in html


def test_the_hip_chart_tells_the_hips_apart_without_colour_and_fits_high_values() -> None:
    text = ChartText(title="Hips", description="Both hips.", x_label="Age", y_label="%",
                     observed_label="")
    with pytest.raises(InvalidValue):
        hip_chart(chart_id="c", readings=[], thresholds=[], treatments=(), text=text,
                  left_label="Left hip", right_label="Right hip")
    chart = hip_chart(chart_id="c", readings=[HipReading(3.0, 20.0, 10.0),
                                             HipReading(5.0, 88.0, 12.0)],
                      thresholds=[Threshold(30.0, "30 %: refer", "30 %")], treatments=(),
                      text=text, left_label="Left hip", right_label="Right hip")
    assert chart.y_axis.high == 100.0  # 88 % fits
    left, right = chart.series[-2:]
    assert (left.marker, left.dash) != (right.marker, right.dash)
    assert chart.series[0].y == (30.0, 30.0)
    svg = render_svg(chart)
    assert "Left hip" in svg
    assert "30 %: refer" in svg
    assert "style=" not in svg
