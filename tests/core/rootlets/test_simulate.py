"""The synthetic session generator."""

from __future__ import annotations

import numpy as np
import pytest

from stride.core.errors import InvalidValue
from stride.core.rootlets.annotations import MAX_ANNOTATION_CHARS, Mode
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.montage import DEFAULT_MONTAGE
from stride.core.rootlets.simulate import (
    SIMULATION_MONTAGE,
    SimulationSettings,
    simulate_session,
)

from .helpers import case, small_settings


def test_simulation_montage_is_8_muscles_on_both_sides_and_anal() -> None:
    labels = SIMULATION_MONTAGE.labels
    assert len(labels) == 17
    assert labels[-1] == "ANAL"
    stems = {label.split("-")[0] for label in labels[:-1]}
    assert stems == {"ADD", "VL", "TA", "HAM", "GAS", "RF", "VM", "LG"}
    for label in DEFAULT_MONTAGE.labels:  # the spec's channels, unchanged
        assert SIMULATION_MONTAGE.channel(label) == DEFAULT_MONTAGE.channel(label)
    # Added heads take the roots the spec gives their muscle group.
    assert SIMULATION_MONTAGE.channel("RF-L").roots == DEFAULT_MONTAGE.channel("VL-L").roots
    assert SIMULATION_MONTAGE.channel("LG-R").roots == DEFAULT_MONTAGE.channel("GAS-R").roots


def test_same_seed_same_session_and_other_seed_other_session() -> None:
    settings = small_settings(4, [case("L4-L-1", "3+", transient=True, after_discharge=True),
                                  case("S2-R-1", "2+", sphincter_uv=40.0)])
    first, again = simulate_session(settings), simulate_session(settings)
    assert np.array_equal(first.recording.data, again.recording.data)
    assert first.truth == again.truth
    other = simulate_session(small_settings(5, settings.cases))
    assert not np.array_equal(first.recording.data, other.recording.data)


def test_default_session_has_70_rootlets_over_l1_to_s2_and_every_case() -> None:
    # Default count and mix; a lower rate and short trains keep the test fast.
    session = simulate_session(SimulationSettings(seed=2, sfreq=2000.0, train_duration_s=0.2))
    assert SimulationSettings(seed=2).rootlets >= 70
    assert SimulationSettings(seed=2).sfreq == 10_000.0
    assert len(session.truth) == 70
    levels = {(t.case.rootlet.root.value, t.case.rootlet.side.value) for t in session.truth}
    assert len(levels) == 14  # L1 … S2, both sides
    assert {t.case.grade for t in session.truth} == set(Grade)
    assert any(t.case.sphincter_uv > 0 for t in session.truth)
    assert any(t.case.threshold_ma is not None and t.case.threshold_ma < 0.3
               for t in session.truth)
    assert any(t.transient for t in session.truth)
    assert any(t.case.after_discharge for t in session.truth)
    assert any(t.case.silent for t in session.truth)
    texts = [s.text for s in session.recording.stimulations]
    assert all(len(text) <= MAX_ANNOTATION_CHARS for text in texts)
    assert {s.mode for s in session.recording.stimulations} == set(Mode)


def test_truth_json_is_marked_synthetic() -> None:
    session = simulate_session(small_settings(1, [case("L4-L-1", "3+")]))
    truth = session.truth_json()
    assert truth["synthetic"] is True
    assert "not patient data" in str(truth["note"])
    assert truth["rootlets"] == [{
        "root": "L4", "side": "L", "rootlet": 1, "grade": "3+", "threshold_ma": 0.4,
        "sphincter": False, "sphincter_uv": 0.0, "possible_ventral": False,
        "sustained": list(session.truth[0].sustained), "transient": [],
        "after_discharge": False,
    }]


def test_grade_the_montage_cannot_show_is_refused() -> None:
    # No default muscle is supplied by L1, so a segmental-only response cannot exist there.
    with pytest.raises(InvalidValue, match="L1-L-1"):
        simulate_session(small_settings(1, [case("L1-L-1", "1+")],
                                        montage=DEFAULT_MONTAGE))


def test_rate_must_suit_edf_plus() -> None:
    with pytest.raises(InvalidValue, match="sfreq"):
        simulate_session(SimulationSettings(seed=1, sfreq=1000.0))
