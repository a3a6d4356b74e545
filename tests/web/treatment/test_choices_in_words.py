"""Every choice the episode forms offer is in words, never core's code (issue 17)."""

from __future__ import annotations

from django import forms

from stride.core.treatment.episodes import ClavienDindo
from stride.web.treatment import forms as episode_forms


def test_every_choice_of_every_episode_form_is_in_words() -> None:
    # A grade's name is its code (Clavien–Dindo "IIIa"); a number (grade 1–5) is a number.
    grades = {grade.value for grade in ClavienDindo}
    checked, coded = 0, []
    for form in vars(episode_forms).values():
        if not (isinstance(form, type) and issubclass(form, forms.BaseForm)):
            continue
        for name, field in form.base_fields.items():
            for value, label in getattr(field, "choices", ()):
                if value in ("", *grades) or not isinstance(value, str) or value.isdigit():
                    continue
                checked += 1
                if str(label) == value:
                    coded.append((form.__name__, name, value))
    assert checked > 10
    assert coded == []
