"""Letters stored before they moved to the documents app keep every row and their links.

Runs the real migrations backwards to the last state with ``coordination.Letter``, stores
a synthetic letter and a decision that links it, then migrates forward and reads both back
through today's models.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("coordination", "0002_decision_letter"), ("documents", "0001_initial"),
          ("evaluation", "0002_decisions_final")]
AFTER = [("coordination", "0003_letter_moved_to_documents"), ("documents", "0003_letter_table"),
         ("evaluation", "0003_decision_letter_in_documents")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


@pytest.fixture
def back_to_latest() -> Iterator[None]:
    """Leave the database at the latest migrations whatever the test did."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_letters_and_decision_links_survive_the_move(back_to_latest: None) -> None:
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    clinician = old.get_model("accounts", "User").objects.create(
        username="synthetic-clinician", role="clinician")
    patient = old.get_model("patients", "Patient").objects.create(
        given_name="Synthetic", family_name="Migration", date_of_birth=date(2019, 5, 17),
        sex="female", country="BG", languages=["bg"], is_synthetic=True)
    case = old.get_model("patients", "Case").objects.create(
        patient=patient, programme="sdr", reference="TEST-MIGRATE", stage="decision")
    letter = old.get_model("coordination", "Letter").objects.create(
        case=case, kind="decision", language="bg", html="<p>synthetic</p>",
        pdf_name="letters/0123456789abcdef0123456789abcdef.pdf",
        issued_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC))
    old.get_model("evaluation", "CandidacyDecision").objects.create(
        case=case, rule_set_id="sdr-2026", rule_set_name="sdr", rule_set_version="1",
        facts={}, provenance={}, result={}, engine_outcome="eligible", signature="agree",
        final_outcome="eligible", letter=letter, signed_by=clinician,
        signed_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC))

    _migrate(AFTER)

    from stride.web.documents.models import Letter
    from stride.web.evaluation.models import CandidacyDecision
    moved = Letter.objects.get()
    assert (moved.pk, moved.kind, moved.html, moved.pdf_name) == (
        letter.pk, "decision", "<p>synthetic</p>", letter.pdf_name)
    assert Letter._meta.db_table == "documents_letter"
    assert CandidacyDecision.objects.get().letter == moved
    assert "coordination_letter" not in connection.introspection.table_names()
