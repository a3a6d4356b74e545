"""Thresholds, guards, candidates, ranking and the budget, on hand-made measurements."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.features import ChannelMeasurement, ChannelState, StimulationMeasurement
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.grading import get_rule_set
from stride.core.rootlets.montage import montage_from_mapping
from stride.core.rootlets.selection import RootletFlag, Suggestion, budget
from stride.core.rootlets.session import RootletResult, SessionResult, summarise_session
from stride.core.rootlets.threshold import threshold_search

from .helpers import channel, measured, single, train

QUIET_ANAL = channel("ANAL", "none", threshold_uv=8.0)


def searched(text: str, *currents_and_responses: tuple[float, bool], onset: float = 0.0,
             ) -> list[StimulationMeasurement]:
    """Single pulses at the given currents, each with or without a TA response."""
    side = text.split("-")[1]
    return [measured(single(text, current, onset + k),
                     channel(f"TA-{side}", "transient" if evoked else "none"), QUIET_ANAL)
            for k, (current, evoked) in enumerate(currents_and_responses)]


def rootlet_with(text: str, *sustained: ChannelMeasurement, threshold: float = 0.4,
                 anal: ChannelMeasurement = QUIET_ANAL, onset: float = 0.0,
                 ) -> list[StimulationMeasurement]:
    """A threshold search responding at ``threshold`` and a train with ``sustained``."""
    return [*searched(text, (threshold - 0.1, False), (threshold, True), onset=onset),
            measured(train(text, onset_s=onset + 5), *sustained, anal)]


def with_neighbour(items: list[StimulationMeasurement]) -> list[StimulationMeasurement]:
    """Add an unresponsive rootlet at the same root and side, so the budget allows one cut."""
    text = str(items[0].stimulation.rootlet)
    neighbour = text[:-1] + "9"
    return [*items, *rootlet_with(neighbour, onset=100)]


def result_of(session: SessionResult, text: str) -> RootletResult:
    return next(r for r in session.rootlets if str(r.rootlet) == text)


def test_threshold_is_the_lowest_single_current_with_a_response() -> None:
    search = threshold_search(searched("L4-L-1", (0.2, False), (0.5, True), (0.4, True),
                                       (0.3, False)))
    assert (search.threshold_ma, search.singles, search.highest_silent_ma) == (0.4, 4, 0.3)
    none = threshold_search(searched("L4-L-1", (0.2, False)))
    assert none.threshold_ma is None
    assert threshold_search([]).singles == 0


def test_sphincter_response_above_20_uv_protects_the_rootlet() -> None:
    anal = channel("ANAL", "sustained", p2p_uv=25.0)
    session = summarise_session(rootlet_with("S2-L-1", channel("GAS-R"), anal=anal))
    rootlet = session.rootlets[0]
    assert rootlet.grade is Grade.G4
    assert rootlet.flags == (RootletFlag.SPHINCTER,)
    assert rootlet.suggestion is Suggestion.PROTECTED
    assert "25.0 µV" in rootlet.reasons[0].text


def test_sphincter_response_of_20_uv_or_less_does_not_protect() -> None:
    anal = channel("ANAL", "transient", p2p_uv=20.0)
    rootlet = summarise_session(rootlet_with("S2-L-1", channel("GAS-L"), anal=anal)).rootlets[0]
    assert RootletFlag.SPHINCTER not in rootlet.flags


def test_sphincter_guard_follows_the_configured_level() -> None:
    anal = channel("ANAL", "transient", p2p_uv=18.0)
    config = dataclasses.replace(DEFAULT_CONFIG, sphincter_guard_uv=15.0)
    rootlet = summarise_session(rootlet_with("S2-L-1", anal=anal), config=config).rootlets[0]
    assert rootlet.suggestion is Suggestion.PROTECTED


@pytest.mark.parametrize(("threshold", "flagged"), [(0.25, True), (0.3, False), (0.35, False)])
def test_threshold_below_0_3_ma_is_a_possible_ventral_root(threshold: float,
                                                           flagged: bool) -> None:
    rootlet = summarise_session(
        with_neighbour(rootlet_with("L5-R-1", channel("TA-L"), threshold=threshold))).rootlets[0]
    assert rootlet.threshold_ma == threshold
    assert (RootletFlag.POSSIBLE_VENTRAL in rootlet.flags) is flagged
    assert rootlet.suggestion is (Suggestion.REVIEW if flagged else Suggestion.CUT)


def test_sphincter_beats_ventral() -> None:
    anal = channel("ANAL", "sustained", p2p_uv=60.0)
    rootlet = summarise_session(rootlet_with("S1-L-1", anal=anal, threshold=0.2)).rootlets[0]
    assert set(rootlet.flags) == {RootletFlag.SPHINCTER, RootletFlag.POSSIBLE_VENTRAL}
    assert rootlet.suggestion is Suggestion.PROTECTED


@pytest.mark.parametrize(("anal", "excluded", "says"), [
    (None, (), "no ANAL channel"),
    (None, (("ANAL", ChannelState.SATURATED),), "ANAL was saturated"),
    (channel("ANAL", "none", threshold_uv=35.0), (), "responses below 35.0 µV"),
])
def test_an_unchecked_sphincter_guard_keeps_a_candidate_in_review(
        anal: ChannelMeasurement | None, excluded: tuple[tuple[str, ChannelState], ...],
        says: str) -> None:
    channels = [channel("GAS-R")] + ([anal] if anal else [])
    items = [*searched("L4-L-1", (0.3, False), (0.4, True)),
             measured(train("L4-L-1", onset_s=5), *channels, excluded=excluded)]
    rootlet = summarise_session(with_neighbour(items)).rootlets[0]
    assert RootletFlag.SPHINCTER_UNCHECKED in rootlet.flags
    assert rootlet.suggestion is Suggestion.REVIEW
    assert says in rootlet.reasons[0].text
    relaxed = dataclasses.replace(DEFAULT_CONFIG, cut_needs_checked_guards=False)
    assert summarise_session(with_neighbour(items), config=relaxed).rootlets[0].suggestion \
        is Suggestion.CUT


@pytest.mark.parametrize(("singles", "outcome"), [
    ((), Suggestion.REVIEW),                               # no threshold search
    (((0.1, False), (0.2, False)), Suggestion.REVIEW),     # silent, but only below 0.3 mA
    (((0.2, False), (0.3, False)), Suggestion.CUT),        # silent up to 0.3 mA: not ventral
])
def test_ventral_guard_without_a_threshold(singles: tuple[tuple[float, bool], ...],
                                           outcome: Suggestion) -> None:
    items = [*searched("L4-L-1", *singles),
             measured(train("L4-L-1", onset_s=5), channel("GAS-R"), QUIET_ANAL)]
    rootlet = summarise_session(with_neighbour(items)).rootlets[0]
    assert rootlet.threshold_ma is None
    assert rootlet.suggestion is outcome
    assert (RootletFlag.VENTRAL_UNCHECKED in rootlet.flags) is (outcome is Suggestion.REVIEW)


def test_budget_and_ranking_at_one_root_and_side() -> None:
    # Five rootlets tested at L4 left: budget = floor(5 / 2) = 2.
    items = [
        *rootlet_with("L4-L-1", channel("GAS-L", rms_uv=30), onset=0),     # 3+, 30 µV
        *rootlet_with("L4-L-2", channel("TA-R", rms_uv=10), onset=10),     # 4+, 10 µV
        *rootlet_with("L4-L-3", channel("GAS-L", rms_uv=50), onset=20),    # 3+, 50 µV
        *rootlet_with("L4-L-4", channel("HAM-L", rms_uv=90), onset=30),    # 2+
        *rootlet_with("L4-L-5", onset=40),                                 # 0
        *rootlet_with("L4-R-1", channel("GAS-R"), onset=50),               # alone: budget 0
    ]
    session = summarise_session(items)
    suggestions = {str(r.rootlet): r.suggestion for r in session.rootlets}
    assert suggestions == {
        "L4-L-2": Suggestion.CUT,     # highest grade first
        "L4-L-3": Suggestion.CUT,     # then the larger magnitude
        "L4-L-1": Suggestion.REVIEW,  # beyond the budget
        "L4-L-4": Suggestion.SPARE,
        "L4-L-5": Suggestion.SPARE,
        "L4-R-1": Suggestion.REVIEW,  # floor(1 / 2) = 0
    }
    assert "ranked 3 of 3" in result_of(session, "L4-L-1").reasons[0].text
    assert "budget of 2 of 5" in result_of(session, "L4-L-1").reasons[0].text
    levels = {(str(level.root), str(level.side)): level for level in session.levels}
    left = levels[("L4", "L")]
    assert (left.tested, left.cut, left.review, left.protected, left.spare) == (5, 2, 1, 0, 2)
    assert [(str(level.root), str(level.side)) for level in session.levels] == \
        [("L4", "L"), ("L4", "R")]


def test_rootlet_with_a_train_but_no_response_is_grade_0() -> None:
    rootlet = summarise_session(rootlet_with("L3-L-1")).rootlets[0]
    assert rootlet.grade is Grade.G0
    assert rootlet.suggestion is Suggestion.SPARE


def test_rootlet_without_a_train_has_no_grade() -> None:
    rootlet = summarise_session(searched("L3-L-1", (0.3, False), (0.4, True))).rootlets[0]
    assert rootlet.grade is None
    assert rootlet.threshold_ma == 0.4
    assert rootlet.suggestion is Suggestion.SPARE
    assert "not graded" in rootlet.reasons[0].text


def test_rootlet_grade_is_the_highest_of_its_trains() -> None:
    items = [*rootlet_with("L4-L-1", channel("TA-L")),
             measured(train("L4-L-1", onset_s=9), channel("GAS-L"), QUIET_ANAL)]
    rootlet = summarise_session(items).rootlets[0]
    assert rootlet.grade is Grade.G3
    assert [s.assessment.grade for s in rootlet.stimulations if s.assessment] == \
        [Grade.G1, Grade.G3]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "TA-L", "HAM-L", "GAS-L", "GAS-R"]),
                          st.floats(1.0, 100.0)), min_size=1, max_size=9))
def test_budget_is_never_exceeded_and_every_suggestion_has_reasons(
        rootlets: list[tuple[str, float]]) -> None:
    items = []
    for number, (label, rms) in enumerate(rootlets, start=1):
        sustained = (channel(label, rms_uv=rms),) if label else ()
        items += rootlet_with(f"L4-L-{number}", *sustained, onset=10 * number)
    session = summarise_session(items)
    cut = sum(r.suggestion is Suggestion.CUT for r in session.rootlets)
    assert cut <= budget(len(rootlets), DEFAULT_CONFIG) == len(rootlets) // 2
    assert all(r.reasons and r.reasons[0].text.startswith(r.suggestion.value)
               for r in session.rootlets)
    # Every cut rootlet ranks at least as high as every candidate left in review.
    ranked = [r for r in session.rootlets if r.suggestion in (Suggestion.CUT, Suggestion.REVIEW)]
    cut_grades = [r.grade.rank for r in ranked if r.suggestion is Suggestion.CUT and r.grade]
    review_grades = [r.grade.rank for r in ranked if r.suggestion is Suggestion.REVIEW and r.grade]
    if cut_grades and review_grades:
        assert min(cut_grades) >= max(review_grades)


def test_grade_is_the_highest_train_even_when_another_train_meets_the_criterion() -> None:
    # Spread-only at L4: a caudal 3+ train (SOL, S2) does not qualify, a rostral 2+ one
    # (ILIO, L3) does; the rootlet is a candidate through the 2+ train, graded 3+.
    montage = montage_from_mapping({
        "SOL-L": {"muscle": "soleus (test)", "side": "L", "roots": ["S2"]},
        "ILIO-L": {"muscle": "iliopsoas (test)", "side": "L", "roots": ["L3"]},
        "TA-L": {"muscle": "tibialis anterior", "side": "L", "roots": ["L4", "L5"]},
        "ANAL": {"muscle": "external anal sphincter", "side": None, "roots": ["S2"]},
    }, name="test")
    items = [*searched("L4-L-1", (0.3, False), (0.4, True)),
             measured(train("L4-L-1", onset_s=5), channel("SOL-L"), QUIET_ANAL),
             measured(train("L4-L-1", onset_s=9), channel("ILIO-L"), QUIET_ANAL)]
    spread_only = get_rule_set("spread-only-v1")
    rootlet = summarise_session(with_neighbour(items), montage, spread_only).rootlets[0]
    assert rootlet.grade is Grade.G3
    assert rootlet.suggestion is Suggestion.CUT
    assert "ILIO-L" in rootlet.reasons[1].text


def test_a_rootlet_without_a_train_is_reviewed_when_stimulations_are_missing() -> None:
    items = searched("L4-L-1", (0.3, False), (0.4, True))
    spared = summarise_session(items).rootlets[0]
    assert spared.suggestion is Suggestion.SPARE
    gap = summarise_session(items, missing=3).rootlets[0]
    assert gap.suggestion is Suggestion.REVIEW
    assert RootletFlag.STIMULATIONS_MISSING in gap.flags
    assert "never arrived (missing: 3)" in gap.reasons[0].text
