"""The de-identification check of family stories, the checklist and the content hash."""

from __future__ import annotations

import pytest

from stride.core.stories import (
    Box,
    ChecklistItem,
    PersonName,
    ProblemCode,
    StoryStatus,
    check_story,
    check_text,
    content_hash,
    may,
    publication_problems,
)

FAMILY = [PersonName("Ivana", "Petrova"), PersonName("Maria", "Petrova"),
          PersonName("丽", "王"), PersonName("明华", "李"), PersonName("Леся", "Иванова")]
ALL_TICKED = [item.value for item in ChecklistItem]


def codes(text: str) -> list[tuple[ProblemCode, str]]:
    return [(p.code, p.found) for p in check_text("body:en", text, FAMILY)]


def test_a_clean_story_has_no_problem() -> None:
    assert codes("In 2024, I. learned to walk with a frame. In spring she walked alone.") == []


@pytest.mark.parametrize(("text", "code", "found"), [
    ("Ivana walks now.", ProblemCode.GIVEN_NAME, "Ivana"),
    ("IVANA walks now.", ProblemCode.GIVEN_NAME, "Ivana"),
    ("The Petrova family came.", ProblemCode.FAMILY_NAME, "Petrova"),
    ("Семья Ивановой? нет, Иванова приехала.", ProblemCode.FAMILY_NAME, "Иванова"),
    ("王丽现在能走路了。", ProblemCode.FAMILY_NAME, "王丽"),
    ("我们的女儿明华现在能走路了。", ProblemCode.GIVEN_NAME, "明华"),
])
def test_names_of_the_child_and_guardians_are_found(text: str, code: ProblemCode,
                                                      found: str) -> None:
    assert (code, found) in codes(text)


def test_a_name_inside_another_word_is_not_a_name() -> None:
    assert codes("Marianne helped us.") == []  # "Maria" inside a longer word


def test_an_initial_is_allowed() -> None:
    assert check_text("pseudonym", "I.", FAMILY) == ()


def test_a_one_character_chinese_name_is_not_searched_inside_words() -> None:
    assert codes("她现在很美丽。") == []  # 丽 inside 美丽 (beautiful)


@pytest.mark.parametrize("text", [
    "Operated on 12.05.2024.", "On 2024-05-12 she stood.", "Seen 5/12/24.",
    "On 12 May she walked.", "On May 12th she walked.", "12th of March was hard.",
    "Операция была 12 мая.", "Прегледът беше на 3 септември.", "2024年5月12日做了手术。",
    "5月12日出院。", "Surgery on ١٢ مايو.",
])
def test_exact_dates_are_found_in_every_language(text: str) -> None:
    assert any(code is ProblemCode.EXACT_DATE for code, _found in codes(text))


@pytest.mark.parametrize("text", [
    "In May 2024 we travelled.", "She is 7 years old.", "GMFM-66 rose by 6.0 points.",
    "We stayed 12 days.", "2024年春天我们去了。", "В мае 2024 года.",
])
def test_a_month_or_a_year_alone_is_not_an_exact_date(text: str) -> None:
    assert codes(text) == []


def test_publication_needs_every_box_and_a_text() -> None:
    problems = publication_problems({"body:en": "A clean story."}, FAMILY, [], [])
    unticked = {p.found for p in problems if p.code is ProblemCode.UNTICKED}
    assert unticked == set(ALL_TICKED)
    assert any(p.code is ProblemCode.NO_TEXT for p in problems)
    assert publication_problems({"body:en": "A clean story."}, FAMILY, ALL_TICKED, ["en"]) == ()


def test_ticks_do_not_hide_a_name() -> None:
    problems = check_story({"title:en": "Ivana's year", "body:en": "Fine."}, FAMILY)
    assert [(p.code, p.part) for p in problems] == [(ProblemCode.GIVEN_NAME, "title:en")]


def test_the_hash_changes_with_any_edit() -> None:
    base = {"pseudonym": "I.", "country": "BG", "texts": {"en": ("T", "B")}, "media": []}
    first = content_hash(**base)  # type: ignore[arg-type]
    assert first == content_hash(**base)  # type: ignore[arg-type]
    for change in ({"pseudonym": "J."}, {"country": "RO"}, {"texts": {"en": ("T", "B.")}},
                   {"texts": {"en": ("T", "B"), "zh-hans": ("T", "B")}},
                   {"media": [{"source": 1, "crop": [], "blur": [], "alt": "x"}]}):
        assert content_hash(**{**base, **change}) != first  # type: ignore[arg-type]


def test_the_workflow_steps() -> None:
    assert may("send-to-family", StoryStatus.DRAFT)
    assert not may("publish", StoryStatus.AWAITING_CLINICIAN)
    assert may("withdraw", StoryStatus.PUBLISHED)
    assert not may("withdraw", StoryStatus.WITHDRAWN)
    assert not may("edit", StoryStatus.PUBLISHED)


def test_boxes_fit_in_the_picture() -> None:
    assert Box(10, 10, 50, 50).problems() == ()
    assert Box(60, 0, 50, 10).problems() == ("box-outside",)
    assert Box(-1, 0, 0, 10).problems() == ("box-negative",)
    assert Box(0, 0, 50, 50).pixels(200, 100) == (0, 0, 100, 50)
