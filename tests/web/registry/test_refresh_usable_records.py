"""The registry derives windows from usable records only.

Records entered in error leave the windows at once (the registry's handlers of the events),
and rows stored before dates were checked (an SDR dated before birth or in the future, a
GMFM-66 dated before birth) never anchor or feed a window.
"""

from __future__ import annotations

from datetime import date

import pytest

from stride.web.evaluation import services as evaluation
from stride.web.evaluation.models import Assessment
from stride.web.registry.models import OutcomeWindow
from stride.web.registry.refresh import refresh_children
from stride.web.treatment import services as treatment
from stride.web.treatment.models import Episode
from tests.conftest import Cast
from tests.web.registry.test_refresh import START, evaluated_child, months, windows_of


def _old_episode(cast: Cast, kind: str, starts_on: date) -> Episode:
    return Episode.objects.create(case=cast.case_a, kind=kind, starts_on=starts_on,
                                  details={}, recorded_by=cast.surgeon_a)


@pytest.mark.parametrize("starts_on", [date(2010, 1, 1), date(2099, 1, 1), date(9999, 12, 31)])
def test_an_episode_with_an_impossible_date_anchors_nothing(cast: Cast,
                                                            starts_on: date) -> None:
    case = evaluated_child(cast)
    _old_episode(cast, "sdr", starts_on)
    refresh_children([case.patient_id])
    assert {w.anchor_kind for w in windows_of(case)} == {"untreated"}
    assert all(0 <= w.anchor_age_years < 20 for w in windows_of(case))


def test_a_gmfm66_dated_before_birth_feeds_no_window(cast: Cast) -> None:
    case = evaluated_child(cast)
    Assessment.objects.create(case=case, instrument="gmfm66", assessed_on=date(2018, 1, 1),
                              assessor=cast.clinician_a, context="remote", data={},
                              derived={"ci_half_width": 2.0}, headline=10.0)
    refresh_children([case.patient_id])
    windows = windows_of(case)
    assert [w.baseline_score for w in windows] == [40.0, 40.0, 40.0]
    assert all(w.baseline_age_years is not None and w.baseline_age_years > 0 for w in windows)


def test_an_episode_entered_in_error_leaves_its_windows_and_the_child_is_untreated_again(
        cast: Cast) -> None:
    case = evaluated_child(cast)
    episode = treatment.record_rehabilitation(
        by=cast.clinician_a, case=case, therapy_type="physiotherapy", hours_per_week=6.0,
        starts_on=months(1), ends_on=months(3))
    assert {w.anchor_kind for w in windows_of(case)} == {"rehabilitation"}
    treatment.mark_episode_entered_in_error(by=cast.clinician_a, episode=episode,
                                            reason="Another child's block.")
    assert {w.anchor_kind for w in windows_of(case)} == {"untreated"}
    assert not OutcomeWindow.objects.filter(episode=episode).exists()


def test_an_assessment_that_does_not_feed_the_windows_leaves_them_alone(cast: Cast) -> None:
    case = evaluated_child(cast)
    mas = evaluation.record_assessment(
        by=cast.clinician_a, case=case, instrument="mas", assessed_on=START, context="remote",
        data={"measurements": [{"muscle": "hamstrings", "side": "left", "grade": "1+"}]},
        today=date(2026, 11, 1))
    before = list(OutcomeWindow.objects.values_list("pk", flat=True))
    evaluation.mark_assessment_entered_in_error(by=cast.clinician_a, assessment=mas,
                                                reason="Wrong side.")
    assert list(OutcomeWindow.objects.values_list("pk", flat=True)) == before
