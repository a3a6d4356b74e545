"""Records entered in error on the child's outcome page and in the exports.

The page strikes them through (the care team sees their reason, the family that the record
was entered in error); charts, outcomes and exports leave them out.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.evaluation.models import Assessment
from stride.web.evaluation.services import mark_assessment_entered_in_error
from stride.web.registry.models import OutcomeWindow
from stride.web.treatment.models import Episode
from stride.web.treatment.services import mark_episode_entered_in_error
from tests.conftest import Cast
from tests.web.registry.rows import gmfm66, sdr_child

pytestmark = pytest.mark.django_db

REASON = "Recorded on the wrong child's file."


def _marked(cast: Cast) -> tuple[Episode, Assessment]:
    sdr = sdr_child(cast.case_a, cast.clinician_a)
    wrong = gmfm66(cast.case_a, cast.clinician_a, date(2024, 8, 1), 90.0, 1.0)
    mark_episode_entered_in_error(by=cast.surgeon_a, episode=sdr, reason=REASON)
    mark_assessment_entered_in_error(by=cast.clinician_a, assessment=wrong, reason=REASON)
    return sdr, wrong


@pytest.mark.parametrize(("member", "sees_reason"), [("clinician_a", True),
                                                     ("guardian_a", False)])
def test_the_page_strikes_them_through_and_charts_neither(
        cast: Cast, client: Client, member: str, sees_reason: bool) -> None:
    sdr, wrong = _marked(cast)
    client.force_login(getattr(cast, member))

    response = client.get(reverse("outcomes:child", args=[cast.case_a.patient_id]))
    html = response.text

    note = html.split('data-testid="left-out"', 1)[1].split("</section>", 1)[0]
    for testid in (f"left-out-episode-{sdr.pk}", f"left-out-assessment-{wrong.pk}"):
        item = note.split(f'data-testid="{testid}"', 1)[1].split("</li>", 1)[0]
        assert "<s>" in item
        assert "entered in error" in item
        assert ("wrong child" in item) is sees_reason
    assert f'data-testid="treatment-{sdr.pk}"' not in html
    assert ">Selective dorsal rhizotomy</text>" not in html  # no marker on any chart
    page = response.context["page"]
    assert 90.0 not in [row.score for row in page.gmfm66]  # nor charted, nor in the table
    # The registry derived the windows again: the child is the comparison group now.
    assert [t.episode for t in page.treatments] == [None]


def test_the_exports_leave_them_out(cast: Cast, client: Client) -> None:
    sdr, _wrong = _marked(cast)
    client.force_login(cast.analyst)
    episodes = list(csv.DictReader(io.StringIO(client.get(
        reverse("outcomes:export-file", args=["episodes", "csv"])).content.decode())))
    assert [row["kind"] for row in episodes] == ["admission"]
    assessments = list(csv.DictReader(io.StringIO(client.get(
        reverse("outcomes:export-file", args=["assessments", "csv"])).content.decode())))
    assert "90.0" not in {row["headline"] for row in assessments}
    windows = client.get(reverse("outcomes:export-file", args=["outcome_windows", "csv"]))
    assert windows.status_code == 200
    assert not OutcomeWindow.objects.filter(episode=sdr).exists()
    exports = client.get(reverse("outcomes:exports")).text
    assert 'data-testid="left-out"' not in exports  # nothing waits to be corrected
