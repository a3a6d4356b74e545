"""Each instrument form: stored through core with derived scores; bad input by the field."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.errors import InvalidValue
from stride.core.scales.instruments import Instrument
from stride.web.evaluation import services
from stride.web.evaluation.models import Assessment
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import Cast

TODAY = "2025-06-01"  # the cast's child was born on 2019-05-17


def _post(client: Client, cast: Cast, instrument: str, data: dict[str, Any],
          on: str = TODAY) -> Any:
    return client.post(reverse("evaluation:assessment", args=[cast.case_a.pk, instrument]),
                       {"assessed_on": on, "context": "remote", **data})


def _gmfm(score: str = "3") -> dict[str, str]:
    return {f"item_{n}": score for n in range(1, 89)}


VALID: list[tuple[str, dict[str, Any], float | None]] = [
    ("gmfcs", {"level": "2"}, 2.0),
    ("macs", {"system": "macs", "level": "3"}, 3.0),
    ("cfcs", {"level": "1"}, 1.0),
    ("edacs", {"system": "edacs", "level": "2"}, 2.0),
    ("mas", {"mas__hamstrings__left": "1+", "mas__hip-adductors__right": "2"}, None),
    ("tardieu", {"tardieu__gastrocnemius__left__r1": "-10",
                 "tardieu__gastrocnemius__left__r2": "10",
                 "tardieu__gastrocnemius__left__quality": "2"}, None),
    ("gmfm88", {**_gmfm("3"), "item_1": "NT", "goal_dimensions": ["D", "E"]},
     (48 / 51 * 100 + 400) / 5),
    ("gmfm66", {"score": "55.2", "standard_error": "1.1", "ci_low": "53", "ci_high": "57.4",
                "gmae_version": "GMAE-2"}, 55.2),
    ("range-of-motion", {"rom__popliteal-angle__left": "-40"}, None),
    ("strength", {"mrc__hip-extensors__left": "4", "mrc__knee-extensors__right": "3"}, 3.5),
    ("selective-motor-control", {"left": "6", "right": "7"}, 13.0),
    ("hip-migration", {"left_percent": "15", "right_percent": "32"}, 32.0),
    ("mri", {"findings": ["pvl"]}, None),
    ("epilepsy", {"status": "controlled", "last_seizure": "2024-02-01"}, None),
    ("history", {"dystonia": "none", "botulinum_toxin": "never",
                 "significant_scoliosis": "false"}, None),
]


@pytest.mark.parametrize(("instrument", "data", "headline"), VALID)
def test_each_instrument_form_stores_core_results(evaluating: Cast, client: Client,
                                                  instrument: str, data: dict[str, Any],
                                                  headline: float | None) -> None:
    client.force_login(evaluating.clinician_a)
    page = client.get(reverse("evaluation:assessment", args=[evaluating.case_a.pk, instrument]))
    assert page.status_code == 200
    response = _post(client, evaluating, instrument, data)
    assert response.status_code == 302, response.text
    stored = Assessment.objects.get(case=evaluating.case_a, instrument=instrument)
    assert stored.assessor == evaluating.clinician_a
    assert stored.headline == (pytest.approx(headline) if headline is not None else None)
    assert AuditEvent.objects.filter(object_type="assessment", object_id=str(stored.pk),
                                     action=Action.CREATE).exists()


def test_gmfm88_not_tested_is_stored_apart_from_zero(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    _post(client, evaluating, "gmfm88", {**_gmfm("0"), "item_7": "NT"})
    stored = Assessment.objects.get(instrument="gmfm88")
    assert stored.data["items"]["7"] is None
    assert stored.data["items"]["8"] == 0
    assert stored.derived["not_tested"] == [7]
    assert stored.headline == 0.0


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    ("mas", {"mas__hamstrings__left": "5"}, "mas__hamstrings__left", TODAY),
    ("gmfm88", {**_gmfm("3"), "item_12": "4"}, "item_12", TODAY),
    ("gmfcs", {"level": "6"}, "level", TODAY),
    ("gmfcs", {"level": "2"}, "assessed_on", "2019-05-16"),
    ("gmfcs", {"level": "2"}, "assessed_on",
     (timezone.localdate() + timedelta(days=1)).isoformat()),
    ("hip-migration", {"left_percent": "101", "right_percent": "2"}, "left_percent", TODAY),
    ("selective-motor-control", {"left": "11", "right": "2"}, "left", TODAY),
    ("mas", {}, "__all__", TODAY),
]


@pytest.mark.parametrize(("instrument", "data", "field", "on"), BAD)
def test_bad_input_is_refused_next_to_the_field(evaluating: Cast, client: Client,
                                                instrument: str, data: dict[str, Any],
                                                field: str, on: str) -> None:
    client.force_login(evaluating.clinician_a)
    response = _post(client, evaluating, instrument, data, on=on)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert 'class="field-error"' in response.text
    assert not Assessment.objects.exists()


def test_macs_for_a_two_year_old_is_refused_in_favour_of_mini_macs(
        evaluating: Cast, client: Client) -> None:
    patient = evaluating.case_a.patient
    patient.date_of_birth = date(2023, 3, 1)
    patient.save()
    client.force_login(evaluating.clinician_a)
    response = _post(client, evaluating, "macs", {"system": "macs", "level": "2"})
    assert response.status_code == 400
    assert "Mini-MACS" in " ".join(response.context["form"].errors["system"])
    assert _post(client, evaluating, "macs",
                 {"system": "mini-macs", "level": "2"}).status_code == 302


def test_the_service_refuses_gmfm_item_89(evaluating: Cast) -> None:
    items: dict[str, object] = {str(n): 1 for n in range(1, 90)}
    with pytest.raises(InvalidValue, match="1\\\" to \\\"88"):
        services.record_assessment(by=evaluating.clinician_a, case=evaluating.case_a,
                                   instrument=Instrument.GMFM88.value,
                                   assessed_on=date(2025, 6, 1), context="remote",
                                   data={"items": items, "goal_dimensions": []})
    assert not Assessment.objects.exists()


def test_an_unknown_instrument_is_a_404(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    assert client.get(reverse("evaluation:assessment",
                              args=[evaluating.case_a.pk, "iq"])).status_code == 404


@pytest.mark.parametrize(("instrument", "words", "codes"), [
    ("mri", ["periventricular leukomalacia", "basal ganglia or thalamus lesion"],
     [">pvl<", ">basal ganglia<"]),
    ("mas", ["hip internal rotators", "tibialis posterior"], []),
    ("range-of-motion", ["ankle dorsiflexion, knee extended"],
     ["ankle dorsiflexion knee extended"]),
    ("history", ["bilateral spastic", "Yes, before"], [">spastic bilateral<", ">had<"]),
])
def test_the_forms_name_every_choice_and_row_in_words(cast: Cast, client: Client,
                                                      instrument: str, words: list[str],
                                                      codes: list[str]) -> None:
    client.force_login(cast.clinician_a)
    url = reverse("evaluation:assessment", args=[cast.case_a.pk, instrument])
    page = client.get(url).text
    for text in words:
        assert text in page, text
    for code in codes:
        assert code not in page, code
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").text
    for text in words:
        assert text not in arabic, text  # translated, not left in English
