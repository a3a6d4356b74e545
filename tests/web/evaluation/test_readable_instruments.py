"""Readable instruments (issue 17): GMFM-88 items by their short labels (Stride's own words,
a translated twin of core's), and a warning, not a block, on a same-day repeat."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from stride.core.scales.gmfm88 import ITEM_COUNT, ITEM_LABELS
from stride.web.evaluation import services
from stride.web.evaluation.models import Assessment
from stride.web.evaluation.wording import GMFM88_ITEM_LABELS, gmfm88_item_label
from tests.conftest import Cast

ON = "2025-06-01"
REPEAT = ("A Hip migration percentage was already recorded for 1 June 2025; both are kept; "
          "mark one entered in error if it was a mistake.")


def test_the_translated_labels_are_cores_english_word_for_word() -> None:
    with translation.override("en"):
        assert [str(label) for label in GMFM88_ITEM_LABELS] == list(ITEM_LABELS)
        assert len(GMFM88_ITEM_LABELS) == ITEM_COUNT
        assert gmfm88_item_label(1) == f"1. {ITEM_LABELS[0]}"
        assert gmfm88_item_label(88) == f"88. {ITEM_LABELS[87]}"


def test_the_gmfm88_form_names_each_item(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    page = client.get(reverse("evaluation:assessment", args=[evaluating.case_a.pk, "gmfm88"]))
    assert page.status_code == 200
    for number, label in enumerate(ITEM_LABELS, start=1):
        assert escape(f"{number}. {label}") in page.text, number
    assert "Item 1<" not in page.text
    assert "Item 88" not in page.text


def _hips(client: Client, cast: Cast, left: str) -> Any:
    return client.post(reverse("evaluation:assessment", args=[cast.case_a.pk, "hip-migration"]),
                       {"assessed_on": ON, "context": "remote", "left_percent": left,
                        "right_percent": "22"})


def test_a_same_day_repeat_is_kept_with_a_warning(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    first = _hips(client, evaluating, "18")
    assert first.status_code == 302
    assert [m.level_tag for m in get_messages(first.wsgi_request)] == ["success"]
    second = _hips(client, evaluating, "19")
    assert second.status_code == 302  # accepted, not blocked
    shown = [(m.level_tag, str(m)) for m in get_messages(second.wsgi_request)]
    assert ("warning", REPEAT) in shown
    assert Assessment.objects.filter(instrument="hip-migration").count() == 2
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk])).text
    assert page.count('data-testid="same-day-repeat"') == 1
    assert REPEAT in page
    # Marked entered in error, the repeat no longer warns; another day is no repeat.
    repeat = Assessment.objects.filter(instrument="hip-migration").order_by("-pk").first()
    assert repeat is not None
    services.mark_assessment_entered_in_error(by=evaluating.clinician_a, assessment=repeat,
                                              reason="Recorded twice.")
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk])).text
    assert 'data-testid="same-day-repeat"' not in page
    other_day = client.post(
        reverse("evaluation:assessment", args=[evaluating.case_a.pk, "hip-migration"]),
        {"assessed_on": "2025-06-02", "context": "remote", "left_percent": "20",
         "right_percent": "22"})
    assert other_day.status_code == 302
    assert "warning" not in [m.level_tag for m in get_messages(other_day.wsgi_request)]
    other_instrument = client.post(
        reverse("evaluation:assessment", args=[evaluating.case_a.pk, "gmfcs"]),
        {"assessed_on": ON, "context": "remote", "level": "2"})
    assert "warning" not in [m.level_tag for m in get_messages(other_instrument.wsgi_request)]
