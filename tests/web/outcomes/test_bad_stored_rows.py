"""Rows stored before dates were checked never break a page or an export for anyone.

An episode dated 9999-12-31, an SDR in 2099 or before the child's birth, a GMFM-66 dated
before birth: old data stored them (here written straight through the ORM, as old data
would be, with the outcome windows the registry derived from them then). The child's page
still opens, the exports still download, and the rows are left out with a visible note
until the care team marks them entered in error.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.web.evaluation.models import Assessment
from stride.web.platform.audit.models import Action, AuditEvent
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.treatment.models import Episode
from tests.conftest import Cast
from tests.web.registry.rows import assess, gmfm66, sdr_child

pytestmark = pytest.mark.django_db

DOB = date(2019, 5, 17)
#: The bad rows the attack stored, as (kind, starts_on, ends_on).
BAD = {
    "admission-9999": ("admission", date(9999, 12, 31), date(9999, 12, 31)),
    "sdr-2099": ("sdr", date(2099, 1, 1), None),
    "sdr-before-birth": ("sdr", date(2010, 1, 1), None),
    "sdr-9999": ("sdr", date(9999, 12, 31), None),
}


def _old_episode(cast: Cast, kind: str, starts_on: date, ends_on: date | None) -> Episode:
    """Store an episode straight through the ORM, as rows from before the checks are."""
    return Episode.objects.create(case=cast.case_a, kind=kind, starts_on=starts_on,
                                  ends_on=ends_on, details={}, recorded_by=cast.surgeon_a)


def _old_windows(child: RegistryChild, episode: Episode) -> None:
    """The windows the registry derived from ``episode`` before dates were checked."""
    if episode.kind == "admission":
        return
    age = (episode.starts_on - DOB).days / 365.25
    for horizon in (6, 12, 24):
        OutcomeWindow.objects.create(
            child=child, anchor_kind=episode.kind, episode=episode, anchor_age_years=age,
            anchor_year=episode.starts_on.year, horizon_months=horizon, gmfcs=2,
            scpe_subtype=child.scpe_subtype, country=child.country)


def _stored(cast: Cast, name: str) -> Episode:
    sdr_child(cast.case_a, cast.clinician_a)
    bad = _old_episode(cast, *BAD[name])
    _old_windows(RegistryChild.objects.get(patient=cast.case_a.patient), bad)
    return bad


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.mark.parametrize("name", list(BAD))
def test_the_childs_page_opens_and_names_the_row_it_leaves_out(
        cast: Cast, client: Client, name: str) -> None:
    bad = _stored(cast, name)
    client.force_login(cast.clinician_a)

    response = client.get(reverse("outcomes:child", args=[cast.case_a.patient_id]))

    assert response.status_code == 200
    html = response.text
    note = html.split('data-testid="left-out"', 1)[1].split("</section>", 1)[0]
    assert f'data-testid="left-out-episode-{bad.pk}"' in note
    assert "mark it entered in error" in note
    assert f'data-testid="treatment-{bad.pk}"' not in html  # no windows, no chart marker
    assert 'data-testid="window-6"' in html  # the good SDR's outcomes are still shown


@pytest.mark.parametrize("name", list(BAD))
@pytest.mark.parametrize("table", ["episodes", "outcome_windows"])
def test_the_exports_leave_the_row_out_instead_of_refusing(
        cast: Cast, client: Client, name: str, table: str) -> None:
    bad = _stored(cast, name)
    client.force_login(cast.analyst)

    response = client.get(reverse("outcomes:export-file", args=[table, "csv"]))

    assert response.status_code == 200
    rows = _csv(response.content)
    good = Episode.objects.exclude(pk=bad.pk)
    if table == "episodes":
        assert len(rows) == good.count()
        assert all(0 <= float(row["age_at_start_years"]) <= 120 for row in rows)
    else:
        assert {row["anchor_kind"] for row in rows} == {"sdr"}
        assert len(rows) == 3  # the good SDR's three windows only
        assert all(2000 <= int(row["anchor_year"]) <= timezone.localdate().year for row in rows)
    event = AuditEvent.objects.get(actor=cast.analyst, action=Action.EXPORT)
    # The bad episode's row, or the three windows the registry derived from it.
    left_out = 1 if table == "episodes" else 0 if bad.kind == "admission" else 3
    suffix = f" left-out={left_out}" if left_out else ""
    assert event.object_id == f"{table}.csv rows={len(rows)}{suffix}"


def test_the_exports_page_says_what_is_left_out(cast: Cast, client: Client) -> None:
    _stored(cast, "sdr-before-birth")
    gmfm66(cast.case_a, cast.clinician_a, date(2018, 1, 1), 40.0, 2.0)
    client.force_login(cast.analyst)
    html = client.get(reverse("outcomes:exports")).text
    note = html.split('data-testid="left-out"', 1)[1].split("</p>", 1)[0]
    assert "1 treatment episode" in note
    assert "1 assessment" in note


def test_an_assessment_dated_before_birth_breaks_neither_page_nor_export(
        cast: Cast, client: Client) -> None:
    sdr_child(cast.case_a, cast.clinician_a)
    bad = gmfm66(cast.case_a, cast.clinician_a, date(2018, 1, 1), 40.0, 2.0)
    assess(cast.case_a, cast.clinician_a, "gmfcs", date(2018, 2, 1), 2.0,
           data={"level": 2})
    client.force_login(cast.clinician_a)
    for url in (reverse("outcomes:child", args=[cast.case_a.patient_id]),
                reverse("evaluation:workspace", args=[cast.case_a.pk]),
                reverse("evaluation:candidacy", args=[cast.case_a.pk]) + "?rule_set=sdr-v1"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'data-testid="left-out-assessment-{bad.pk}"' in response.text, url

    client.force_login(cast.analyst)
    response = client.get(reverse("outcomes:export-file", args=["assessments", "csv"]))
    assert response.status_code == 200
    rows = _csv(response.content)
    good = Assessment.objects.filter(assessed_on__gte=DOB)
    assert len(rows) == good.count()
    assert all(float(row["age_years"]) >= 0 for row in rows)


@pytest.mark.parametrize("name", list(BAD))
def test_the_treatment_page_opens_and_flags_the_row(cast: Cast, client: Client,
                                                    name: str) -> None:
    bad = _stored(cast, name)
    client.force_login(cast.surgeon_a)
    response = client.get(reverse("treatment:episodes", args=[cast.case_a.pk]))
    assert response.status_code == 200
    item = response.text.split(f'data-testid="episode-{bad.pk}"', 1)[1].split("</li>", 1)[0]
    assert 'data-testid="date-problem"' in item
    assert reverse("treatment:entered-in-error", args=[cast.case_a.pk, bad.pk]) in item
