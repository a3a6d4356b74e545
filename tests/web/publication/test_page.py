"""The public outcomes page: dated snapshots, suppression in words, denominators, no codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from stride.web.operations import jobs
from stride.web.operations.jobs import Run
from stride.web.patients.models import Patient
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType
from stride.web.publication.models import PublishedOutcomes
from stride.web.publication.services import publish_outcomes
from tests.conftest import Cast
from tests.web.registry.registry_rows import make_child, make_window

pytestmark = pytest.mark.django_db

URL = "/results/"


def _text(html: str) -> str:
    """The page's words: tags, scripts and styles removed, spaces joined."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _cohort(kind: str, level: int, size: int, *, follow_up: float = 55.0) -> None:
    for _ in range(size):
        child = make_child(gmfcs=level)
        make_window(child, kind=kind, months=12, baseline=50.0, follow_up=follow_up, year=2022)


def _small_cell_registry() -> None:
    """SDR: 15 children at level II, 4 at level III; rehabilitation: 20 and 13."""
    _cohort("sdr", 2, 15)
    _cohort("sdr", 3, 4)
    _cohort("rehabilitation", 2, 20)
    _cohort("rehabilitation", 3, 13)


def test_the_url_is_the_agreed_one() -> None:
    assert reverse("publication:outcomes") == URL


def test_with_no_snapshot_the_page_says_nothing_is_published(db: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "No results have been published yet" in response.text
    assert "Figures from the registry as of" not in response.text


def test_the_page_is_public_for_everyone(cast: Cast, client: Client) -> None:
    _cohort("sdr", 2, 12)
    publish_outcomes(by="command")
    assert client.get(URL).status_code == 200
    for name in ("guardian_a", "coordinator_b", "clinician_a", "analyst", "admin"):
        client.force_login(getattr(cast, name))
        response = client.get(URL)
        assert response.status_code == 200
        assert "Selective dorsal rhizotomy" in response.text


def test_the_command_publishes_a_dated_audited_snapshot(db: None, client: Client) -> None:
    _cohort("sdr", 2, 12)
    out = StringIO()
    call_command("publish_outcomes", stdout=out)
    snapshot = PublishedOutcomes.objects.get()
    assert snapshot.published_by == "command"
    assert snapshot.suppression_rule == "cms-cell-size@1"
    assert snapshot.filters["treatment"] is None
    assert f"snapshot {snapshot.pk}" in out.getvalue()
    event = AuditEvent.objects.get(object_type=ObjectType.REGISTRY_REPORT)
    assert event.action == Action.CREATE
    assert "publish_outcomes (command)" in event.actor_label
    text = _text(client.get(URL).text)
    assert "Figures from the registry as of" in text
    # Every percentage on the page stands beside its denominator ("x of n (y%)" or
    # "y% of n children"), never alone ("95% interval" names a confidence level).
    percentages = list(re.finditer(r"\d+(?:\.\d+)?%(?! (?:interval|confidence))", text))
    assert percentages
    for found in percentages:
        around = text[max(0, found.start() - 40):found.end() + 40]
        assert " of " in around, around


def test_the_page_shows_the_latest_snapshot_and_never_computes(
        db: None, client: Client, django_assert_max_num_queries: Any) -> None:
    _cohort("sdr", 2, 12)
    publish_outcomes(by="command", now=datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    _cohort("sdr", 2, 3)  # after the first publication
    publish_outcomes(by="command", now=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    with django_assert_max_num_queries(4):  # the snapshot (and the session): no registry read
        text = _text(client.get(URL).text)
    assert "2 November 2026" in text
    assert "1 November 2026" not in text
    assert "<td>15</td>" in client.get(URL).text


def test_small_cells_and_their_complements_are_hidden_in_words(db: None, client: Client
                                                              ) -> None:
    _small_cell_registry()
    snapshot = publish_outcomes(by="command")
    (table,) = [t for t in snapshot.figures["outcomes"] if t["months"] == 12]
    sdr, rehab = table["rows"]
    assert [c["state"] for c in sdr["cells"][1:3]] == ["complement", "primary"]
    assert [c["state"] for c in rehab["cells"][1:3]] == ["complement", "complement"]
    assert sdr["total"]["n"] == 19
    # Nothing of a hidden cell is stored.
    assert sdr["cells"][2] == {"state": "primary"}
    html = client.get(URL).text
    text = _text(html)
    assert "fewer than 11 children — not shown" in text
    assert "not shown to protect small groups" in text
    assert "<td>19</td>" in html
    assert "<td>33</td>" in html
    # The level II and III counts are not on the page (15, 4, 20, 13 children).
    block = html.split('data-testid="table-12-sdr"', 1)[1].split("</table>", 1)[0]
    assert "<td>15</td>" not in block
    assert "<td>4</td>" not in block


def test_percentages_carry_their_denominators(db: None, client: Client) -> None:
    _cohort("sdr", 2, 30, follow_up=58.0)
    _cohort("rehabilitation", 2, 25, follow_up=50.5)
    publish_outcomes(by="command")
    text = _text(client.get(URL).text)
    percentages = list(re.finditer(r"\d+(?:[.,]\d+)?%", text))
    assert percentages
    for match in percentages:
        before = text[max(0, match.start() - 90):match.start()]
        after = text[match.end():match.end() + 30]
        # A share "k of n (p%…)", or the SCPE share "p% of 9,128 children", or "95% interval".
        assert " of " in before or after.startswith(" of ") or after.startswith(" interval") \
            or after.startswith(" confidence"), (before, match.group(), after)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_no_raw_codes_or_long_floats(db: None, client: Client, language: str) -> None:
    _small_cell_registry()
    _cohort("cell-therapy", 2, 12)
    publish_outcomes(by="command")
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE=language).text
    if language == "ar":
        assert 'dir="rtl"' in html
    text = _text(html)
    for code in ("sdr", "cell-therapy", "rehabilitation ", "spastic-bilateral", "not-recorded",
                 "complement", "primary", "None", "{", "shanghai-2012 ", "lost-none"):
        assert code not in text.replace("shanghai-2012@", ""), code
    # No machine float (a DOI in a reference is not a number; Arabic groups thousands
    # with a point, 9.128, so three digits after a point are a float only in English).
    numbers = re.sub(r"doi:\S+", "", text)
    assert not re.search(r"\d[.,]\d{4,}", numbers)
    if language == "en":
        assert not re.search(r"\d\.\d{3,}", numbers)


def test_cell_therapy_is_labelled_investigational(db: None, client: Client) -> None:
    _cohort("cell-therapy", 2, 12)
    publish_outcomes(by="command")
    assert "Investigational: offered only inside registered clinical trials" in client.get(
        URL).text


def test_a_synthetic_registry_is_said_to_be_synthetic(db: None, client: Client) -> None:
    _cohort("sdr", 2, 12)
    publish_outcomes(by="command")
    assert "Synthetic demo data" in client.get(URL).text
    Patient.objects.update(is_synthetic=False)
    publish_outcomes(by="command")
    assert "Synthetic demo data" not in client.get(URL).text


def test_follow_up_completeness_counts_the_lost_and_the_too_recent(db: None,
                                                                   client: Client) -> None:
    # 12 followed at 12 months; 11 lost (none since treatment); 11 too recent (this year).
    for index in range(34):
        child = make_child(gmfcs=2)
        year = 2026 if index >= 23 else 2022
        follow = 55.0 if index < 12 else None
        for months in (6, 12, 24):
            make_window(child, kind="sdr", months=months, year=year,
                        follow_up=follow if months == 12 else None)
    snapshot = publish_outcomes(by="command", now=datetime(2026, 12, 2, 9, tzinfo=UTC))
    (twelve,) = [t for t in snapshot.figures["completeness"] if t["months"] == 12]
    (sdr,) = twelve["rows"]
    assert dict(zip(twelve["categories"], sdr["counts"], strict=True)) == {
        "followed-up": 12, "lost-none-since": 11, "lost-after-6": 0, "too-recent": 11}
    text = _text(client.get(URL).text)
    assert ("Followed up at 12 months: 12 of 23. Lost to follow-up: 11, of whom 11 had no "
            "follow-up after treatment. 11 treated too recently to tell.") in text


def test_the_worker_publishes_daily(db: None) -> None:
    _cohort("sdr", 2, 12)
    (job,) = [j for j in jobs.scheduled_jobs() if j.name == "publish-outcomes"]
    assert job.every.days == 1
    now = datetime(2026, 12, 2, 3, tzinfo=UTC)
    assert job.run(Run(now=now, stopping=lambda: False)) == 1
    snapshot = PublishedOutcomes.objects.get()
    assert (snapshot.published_by, snapshot.published_at) == ("worker", now)


def test_the_footer_links_to_the_results(db: None, client: Client) -> None:
    html = client.get(reverse("home")).text
    assert f'href="{URL}"' in html


def test_an_unknown_publisher_is_refused(db: None) -> None:
    from stride.core.errors import InvalidValue

    with pytest.raises(InvalidValue):
        publish_outcomes(by="someone")


def test_the_page_only_reads(db: None, client: Client) -> None:
    # A public page with no form: a write method is refused, never a 500.
    for method in (client.post, client.put, client.delete):
        assert method(URL).status_code == 405
    assert not PublishedOutcomes.objects.exists()


def test_the_method_describes_the_windows_core_applies(db: None, client: Client) -> None:
    # The method paragraph is translated prose; it must keep to windows-v1's numbers.
    from stride.core.registry.windows import (
        BASELINE_LOOKBACK_MONTHS,
        FOLLOW_UP_WINDOWS,
        WINDOWS_VERSION,
    )

    _cohort("sdr", 2, 12)
    snapshot = publish_outcomes(by="command")
    assert snapshot.windows_version == WINDOWS_VERSION == "windows-v1"
    six, twelve, twenty_four = FOLLOW_UP_WINDOWS
    text = _text(client.get(URL).text)
    assert (f"the latest one taken up to {BASELINE_LOOKBACK_MONTHS} months before; the "
            f"follow-up scores are the ones nearest to {six.horizon_months}, "
            f"{twelve.horizon_months} and {twenty_four.horizon_months} months after treatment "
            f"(between {six.from_months} and {six.to_months}, {twelve.from_months} and "
            f"{twelve.to_months}, and {twenty_four.from_months} and {twenty_four.to_months} "
            "months)") in text


def test_a_reference_the_code_no_longer_knows_is_not_shown_as_its_key(
        db: None, client: Client) -> None:
    _cohort("sdr", 2, 12)
    snapshot = publish_outcomes(by="command")
    PublishedOutcomes.objects.filter(pk=snapshot.pk).update(reference="retired-curves@9")
    text = _text(client.get(URL).text)
    assert "retired-curves" not in text
    assert "Expected change: not recorded" in text


def test_completeness_does_not_give_away_a_hidden_n(db: None, client: Client) -> None:
    # The SDR n at 12 months is hidden (a complement of the 4 at level III); its 19
    # treatments followed up at 12 months would show it again, so they are hidden too.
    _small_cell_registry()
    _cohort("cell-therapy", 2, 12)
    snapshot = publish_outcomes(by="command")
    (outcomes,) = [t for t in snapshot.figures["outcomes"] if t["months"] == 12]
    (completeness,) = [t for t in snapshot.figures["completeness"] if t["months"] == 12]
    for outcome_row, row in zip(outcomes["rows"], completeness["rows"], strict=True):
        if outcome_row["total"]["state"] != "shown":
            assert row["counts"][0] is None, row["treatment"]
            assert row["total"] is None or row["counts"].count(None) >= 2, row
    assert outcomes["rows"][0]["total"]["state"] != "shown"
    text = _text(client.get(URL).text)
    assert "Followed up at 12 months: 19 of 19" not in text
