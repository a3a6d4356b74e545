"""De-identified exports: analysts only, every export audited, nothing identifying inside."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pyarrow.parquet as pq
import pytest
from django.test import Client
from django.urls import reverse

from stride.core.registry.deidentify import DICTIONARY, FORBIDDEN_NAMES
from stride.web.patients.models import Sex
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.registry.models import AnchorKind, RegistryChild
from tests.conftest import Cast
from tests.web.registry.rows import assess, registry_child, sdr_child, window

pytestmark = pytest.mark.django_db


def _url(table: str, file_format: str) -> str:
    return reverse("outcomes:export-file", args=[table, file_format])


def _cohort(cast: Cast) -> None:
    """Two registry children with everything an export could leak stored on them."""
    sdr_child(cast.case_a, cast.clinician_a)
    assess(cast.case_a, cast.clinician_a, "history", date(2024, 4, 1), None,
           data={"notes": "FREE TEXT: mother worried about school"})
    child_b = registry_child(cast.case_b, gmfcs=None)
    window(child_b, None, 6, gmfcs=None, anchor_kind="untreated", anchor_on=date(2024, 1, 5),
           baseline=(date(2024, 1, 5), 40.0, None), follow_up=None)


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode())))


def _identifiers(cast: Cast) -> list[str]:
    words = []
    for case in (cast.case_a, cast.case_b):
        patient = case.patient
        words += [patient.family_name, patient.given_name, case.reference,
                  patient.date_of_birth.isoformat(), "2024-04-02", "FREE TEXT",
                  "parent", "test.invalid"]
    return words


@pytest.mark.parametrize("member", ["guardian_a", "coordinator_a", "clinician_a", "surgeon_a",
                                    "admin"])
def test_non_analysts_get_404_and_are_audited(cast: Cast, client: Client, member: str) -> None:
    user = getattr(cast, member)
    client.force_login(user)
    assert client.get(reverse("outcomes:exports")).status_code == 404
    assert client.get(_url("children", "csv")).status_code == 404
    events = list(AuditEvent.objects.filter(actor=user, object_type__startswith="registry")
                  .order_by("id")
                  .values_list("action", "object_type", "object_id", "outcome"))
    assert events == [
        (Action.READ, "registry-exports", "", Outcome.DENIED),
        (Action.EXPORT, "registry-export", "children.csv", Outcome.DENIED),
    ]


def test_dictionary_page_lists_every_column(cast: Cast, client: Client) -> None:
    client.force_login(cast.analyst)
    html = client.get(reverse("outcomes:exports")).text
    for table in DICTIONARY.values():
        section = re.search(rf'data-testid="dictionary-{table.name}">(.*?)</table>', html, re.S)
        assert section is not None
        assert re.findall(r'<th scope="row"><code>([a-z0-9_]+)</code>', section.group(1)) == \
            list(table.column_names)
        assert f'href="{_url(table.name, "parquet")}"' in html
    assert AuditEvent.objects.filter(actor=cast.analyst, object_type="registry-exports",
                                     outcome=Outcome.OK).count() == 1


@pytest.mark.parametrize("table", list(DICTIONARY))
def test_every_export_is_dictionary_only_and_free_of_identifiers(
        cast: Cast, client: Client, table: str) -> None:
    _cohort(cast)
    client.force_login(cast.analyst)
    csv_response = client.get(_url(table, "csv"))
    parquet_response = client.get(_url(table, "parquet"))
    assert csv_response.status_code == parquet_response.status_code == 200
    assert csv_response["Content-Disposition"].startswith(
        f'attachment; filename="stride-registry-{table}-')

    rows = _csv(csv_response.content)
    parquet = pq.read_table(io.BytesIO(parquet_response.content))
    names = list(DICTIONARY[table].column_names)
    assert list(rows[0]) == names
    assert parquet.column_names == names
    assert not set(names) & FORBIDDEN_NAMES
    assert len(rows) == parquet.num_rows > 0
    text = csv_response.content.decode() + repr(parquet.to_pylist())
    for word in _identifiers(cast):
        assert word not in text
    pseudonyms = set(RegistryChild.objects.values_list("pseudonym", flat=True))
    assert {row["pseudonym"] for row in rows} <= pseudonyms
    assert parquet.schema.field("pseudonym").metadata[b"meaning"]

    events = list(AuditEvent.objects.filter(actor=cast.analyst, action=Action.EXPORT)
                  .order_by("id").values_list("object_id", "patient_id"))
    assert events == [(f"{table}.csv rows={len(rows)}", None),
                      (f"{table}.parquet rows={len(rows)}", None)]


def test_export_values_by_hand(cast: Cast, client: Client) -> None:
    _cohort(cast)
    client.force_login(cast.analyst)
    children = {r["sex"] for r in _csv(client.get(_url("children", "csv")).content)}
    assert children <= set(Sex.values)
    windows = pq.read_table(io.BytesIO(client.get(_url("outcome_windows", "parquet")).content))
    assert set(windows.column("anchor_kind").to_pylist()) <= set(AnchorKind.values)
    assert set(windows.column("anchor_kind").to_pylist()) == {"sdr", "untreated"}
    assert str(windows.schema.field("gmfcs").type) == "int32"
    untreated = [r for r in windows.to_pylist() if r["anchor_kind"] == "untreated"]
    assert untreated[0]["gmfcs"] is None
    assert untreated[0]["follow_up_score"] is None
    assessments = _csv(client.get(_url("assessments", "csv")).content)
    first = next(r for r in assessments if r["instrument"] == "gmfm66")
    # Born 2019-05-17, assessed 2024-04-02: 1782 days.
    assert float(first["age_years"]) == pytest.approx(1782 / 365.25)
    assert float(first["gmfm66_ci_half_width"]) == 3.0
    history = next(r for r in assessments if r["instrument"] == "history")
    assert history["headline"] == ""


def test_the_dictionary_codes_match_the_stored_choices() -> None:
    tables = DICTIONARY
    assert set(tables["children"].columns[1].codes or ()) == set(Sex.values)
    anchor = next(c for c in tables["outcome_windows"].columns if c.name == "anchor_kind")
    assert set(anchor.codes or ()) == set(AnchorKind.values)


def test_stored_free_text_in_a_code_column_refuses_the_export(cast: Cast,
                                                              client: Client) -> None:
    child = registry_child(cast.case_a, gmfcs=2)
    RegistryChild.objects.filter(pk=child.pk).update(scpe_subtype="see notes: Maria's file")
    client.force_login(cast.analyst)
    response = client.get(_url("children", "csv"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("outcomes:exports")
    assert "column scpe_subtype holds values outside the data dictionary" in response.text
    assert "Maria" not in response.text
    event = AuditEvent.objects.get(actor=cast.analyst, action=Action.EXPORT)
    assert (event.object_id, event.outcome) == ("children.csv refused: scpe_subtype",
                                                Outcome.DENIED)


def test_unknown_table_or_format_is_a_404(cast: Cast, client: Client) -> None:
    client.force_login(cast.analyst)
    assert client.get(_url("patients", "csv")).status_code == 404
    assert client.get(_url("children", "xlsx")).status_code == 404
    events = AuditEvent.objects.filter(actor=cast.analyst, action=Action.EXPORT).order_by("id")
    assert list(events.values_list("object_id", "outcome")) == [
        ("patients.csv", Outcome.NOT_FOUND), ("children.xlsx", Outcome.NOT_FOUND)]
