"""Decisions: against the suggestion needs a reason; the log is append-only everywhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from stride.web.ionm import selectors, services
from stride.web.ionm.models import DecisionImmutableError, RootletDecision
from stride.web.platform.audit.models import AuditEvent
from tests.web.files import pdf_text
from tests.web.ionm.conftest import Live, chunks


@pytest.fixture
def graded(live: Live) -> Live:
    live.receive_all()
    return live


def _suggestions(live: Live) -> dict[str, str]:
    return {str(r.rootlet): r.suggestion.value
            for r in selectors.session_result(live.session).rootlets}


def _decide(client: Client, live: Live, rootlet: str, decision: str, reason: str = "",
            version: int | None = None) -> Any:
    """Decide as the screen does, on the state with ``version`` stimulations (all by
    default)."""
    client.force_login(live.cast.surgeon_a)
    shown = live.session.stimulations.count() if version is None else version
    return client.post(reverse("ionm:decide", args=[live.session.pk]),
                       {"rootlet": rootlet, "decision": decision, "reason": reason,
                        "version": shown},
                       headers={"Accept": "application/json"})


def test_a_decision_with_the_suggestion_is_logged_and_audited(graded: Live,
                                                              client: Client) -> None:
    rootlet, suggestion = next((r, s) for r, s in _suggestions(graded).items()
                               if s in ("cut", "spare"))
    response = _decide(client, graded, rootlet, suggestion)
    assert response.status_code == 200
    row = RootletDecision.objects.get()
    assert (row.rootlet, row.decision, row.suggestion, row.against_suggestion) == (
        rootlet, suggestion, suggestion, False)
    assert row.state_version == 16
    shown = next(r for r in selectors.session_result(graded.session).rootlets
                 if str(r.rootlet) == rootlet)
    assert row.grade == (None if shown.grade is None else shown.grade.value)
    assert row.decided_by == graded.cast.surgeon_a
    assert AuditEvent.objects.filter(object_type="rootlet-decision",
                                     object_id=str(row.pk)).exists()


def test_going_against_the_suggestion_needs_a_reason(graded: Live, client: Client) -> None:
    rootlet, suggestion = next((r, s) for r, s in _suggestions(graded).items()
                               if s in ("cut", "spare", "protected"))
    against = "spare" if suggestion == "cut" else "cut"
    refused = _decide(client, graded, rootlet, against)
    assert refused.status_code == 400
    assert "give a reason" in refused.json()["error"]
    assert not RootletDecision.objects.exists()
    accepted = _decide(client, graded, rootlet, against, "Clonus in the hamstrings on table.")
    assert accepted.status_code == 200
    assert RootletDecision.objects.get().against_suggestion is True


def test_a_decision_on_a_rootlet_not_tested_is_refused(graded: Live, client: Client) -> None:
    response = _decide(client, graded, "S2-R-9", "cut")
    assert response.status_code == 400
    assert "has not been stimulated" in response.json()["error"]
    assert not RootletDecision.objects.exists()


def test_an_unknown_decision_is_refused(graded: Live, client: Client) -> None:
    response = _decide(client, graded, "L1-L-1", "remove")
    assert response.status_code == 400


def test_no_decision_after_the_session_has_ended(graded: Live, client: Client) -> None:
    services.end_session(by=graded.cast.surgeon_a, session=graded.session,
                         leave_undecided=True)
    response = _decide(client, graded, "L1-L-1", "spare", "any")
    assert response.status_code == 400


def test_the_end_summary_counts_tested_cut_and_protected(graded: Live, client: Client) -> None:
    rootlet = next(iter(_suggestions(graded)))
    response = _decide(client, graded, rootlet, "cut", "Surgeon's choice.")
    assert response.status_code == 200
    ended = services.end_session(by=graded.cast.surgeon_a, session=graded.session,
                                 leave_undecided=True)
    assert ended.summary is not None
    assert sum(level["cut"] for level in ended.summary) == 1
    assert sum(level["tested"] for level in ended.summary) == 4
    assert ended.token_hash == ""
    report = client.get(reverse("ionm:report", args=[graded.session.pk]))
    assert report.status_code == 200
    assert report["Content-Type"] == "application/pdf"
    assert b"".join(report.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def _a_decision(live: Live) -> RootletDecision:
    return services.decide(by=live.cast.surgeon_a, session=live.session,
                           rootlet=next(iter(_suggestions(live))), decision="partial",
                           reason="Partial section on purpose.",
                           version=live.session.stimulations.count())


def test_the_model_refuses_update_and_delete(graded: Live) -> None:
    row = _a_decision(graded)
    row.decision = "spare"
    with pytest.raises(DecisionImmutableError):
        row.save()
    with pytest.raises(DecisionImmutableError):
        row.delete()
    with pytest.raises(DecisionImmutableError):
        RootletDecision.objects.filter(pk=row.pk).update(decision="spare")
    with pytest.raises(DecisionImmutableError):
        RootletDecision.objects.filter(pk=row.pk).delete()


def test_the_database_refuses_an_update_by_raw_sql(graded: Live) -> None:
    row = _a_decision(graded)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ionm_rootletdecision SET decision = 'spare' WHERE id = %s",
                       [row.pk])
    assert RootletDecision.objects.get(pk=row.pk).decision == "partial"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for flush")
def test_postgresql_refuses_a_delete_by_raw_sql(graded: Live) -> None:
    row = _a_decision(graded)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ionm_rootletdecision WHERE id = %s", [row.pk])
    assert RootletDecision.objects.filter(pk=row.pk).exists()


def _posted(live: Live, client: Client, bodies: list[dict[str, Any]]) -> None:
    for body in bodies:
        assert live.post(client, body).status_code == 201


def test_a_decision_on_a_rootlet_whose_suggestion_changed_since_the_screen_is_refused(
        live: Live, client: Client) -> None:
    bodies = chunks()
    # The screen has drawn L1-R-1 after its threshold search (stimulations 5-7): no train
    # yet, so "spare". Its train (8) then makes it a grade 3+ candidate for review.
    _posted(live, client, bodies[:7])
    assert _suggestions(live)["L1-R-1"] == "spare"
    _posted(live, client, bodies[7:8])
    assert _suggestions(live)["L1-R-1"] == "review"
    refused = _decide(client, live, "L1-R-1", "spare", version=7)
    assert refused.status_code == 409
    assert refused.json()["stale"] is True
    assert "L1-R-1" in refused.json()["error"]
    assert "'spare' → 'review'" in refused.json()["error"]
    assert not RootletDecision.objects.exists()
    accepted = _decide(client, live, "L1-R-1", "spare", version=8)
    assert accepted.status_code == 200
    row = RootletDecision.objects.get()
    assert (row.rootlet, row.suggestion, row.grade, row.state_version) == (
        "L1-R-1", "review", "3+", 8)


def test_a_decision_on_an_unchanged_rootlet_made_on_an_older_state_stands(
        live: Live, client: Client) -> None:
    # L1-L-1 was complete (spare) after stimulation 4; stimulations 5-8 are L1-R-1's.
    _posted(live, client, chunks()[:8])
    assert _suggestions(live)["L1-L-1"] == "spare"
    response = _decide(client, live, "L1-L-1", "spare", version=4)
    assert response.status_code == 200
    assert RootletDecision.objects.get().state_version == 4


@pytest.mark.parametrize("version", ["", "0", "99", "x"])
def test_a_decision_without_a_known_state_is_refused(graded: Live, client: Client,
                                                     version: str) -> None:
    client.force_login(graded.cast.surgeon_a)
    response = client.post(reverse("ionm:decide", args=[graded.session.pk]),
                           {"rootlet": "L1-L-1", "decision": "spare", "version": version},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "reload" in response.json()["error"]
    assert not RootletDecision.objects.exists()


def test_ending_with_undecided_rootlets_asks_first_and_records_them(graded: Live,
                                                                   client: Client) -> None:
    rootlet, suggestion = next((r, s) for r, s in _suggestions(graded).items()
                               if s != "review")
    assert _decide(client, graded, rootlet, "cut" if suggestion == "cut" else "spare"
                   ).status_code == 200
    asked = client.post(reverse("ionm:end", args=[graded.session.pk]))
    assert asked.status_code == 409
    assert "3 rootlets have no decision" in asked.text
    graded.session.refresh_from_db()
    assert graded.session.status == "live"
    ended = client.post(reverse("ionm:end", args=[graded.session.pk]),
                        {"leave_undecided": "on"})
    assert ended.status_code == 302
    graded.session.refresh_from_db()
    assert graded.session.status == "ended"
    assert len(graded.session.left_undecided) == 3
    assert rootlet not in graded.session.left_undecided


def test_the_report_lists_overrides_missing_stimulations_configuration_and_engine(
        live: Live, client: Client) -> None:
    bodies = chunks()
    # Stimulation 10 never arrives: a gap the report must name.
    _posted(live, client, bodies[:9] + bodies[10:])
    spared = _decide(client, live, "L1-L-1", "cut", "Clonus at the ankle on table.")
    assert spared.status_code == 200
    ended = services.end_session(by=live.cast.surgeon_a, session=live.session,
                                 leave_undecided=True)
    text = " ".join(pdf_text(Path(ended.report.path)).split())
    assert "Clonus at the ankle on table." in text
    assert "1 stimulation never arrived (sequence number 10)" in text
    # pdftotext joins "stride-" to the next word where the line wraps at its hyphen.
    assert re.search(r"engine: stride-?rootlets-2", text)
    assert "rootlets-config-v2" in text
    assert "Sphincter guard (anal sphincter response) 20 µV" in text
    assert "Rootlets left without a decision" in text
    assert "L1-R-1, L2-L-1, L2-R-1" in text
