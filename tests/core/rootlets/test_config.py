"""The versioned session configuration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stride.core.errors import InvalidValue
from stride.core.rootlets.config import (
    CONFIG_VERSION,
    CONFIG_VERSIONS,
    DEFAULT_CONFIG,
    AnalysisConfig,
    config_from_overrides,
    load_config,
)
from stride.core.rootlets.errors import SessionConfigError
from stride.core.rootlets.grades import Grade


def test_clinical_defaults_are_the_spec_values() -> None:
    # Recording spec, "Grades" and "Suggestions"; clinical-reference.md (Xiao's group).
    assert DEFAULT_CONFIG.sphincter_guard_uv == 20.0
    assert DEFAULT_CONFIG.ventral_guard_ma == 0.3
    assert DEFAULT_CONFIG.budget_fraction == 0.5
    assert DEFAULT_CONFIG.candidate_grades == (Grade.G3, Grade.G4)
    assert DEFAULT_CONFIG.sustained_fraction == 0.8
    assert DEFAULT_CONFIG.sustained_final_part == 0.2
    assert DEFAULT_CONFIG.target_muscles == ()
    assert CONFIG_VERSIONS[CONFIG_VERSION] == AnalysisConfig()


def test_overrides_replace_only_what_they_name() -> None:
    config = config_from_overrides({"sphincter_guard_uv": 15, "target_muscles": ["GAS-L"],
                                    "candidate_grades": ["4+"], "cut_needs_checked_guards": False})
    assert config.sphincter_guard_uv == 15.0
    assert config.target_muscles == ("GAS-L",)
    assert config.candidate_grades == (Grade.G4,)
    assert config.ventral_guard_ma == 0.3
    assert config.overrides() == {"sphincter_guard_uv": 15.0, "candidate_grades": ["4+"],
                                  "target_muscles": ["GAS-L"],
                                  "cut_needs_checked_guards": False}
    assert DEFAULT_CONFIG.overrides() == {}


@pytest.mark.parametrize(("overrides", "field"), [
    ({"sphincter_guard": 20}, "config key"),
    ({"version": "rootlets-config-v0"}, "version"),
    ({"sphincter_guard_uv": "20"}, "sphincter_guard_uv"),
    ({"sphincter_guard_uv": True}, "sphincter_guard_uv"),
    ({"sphincter_guard_uv": -1}, "sphincter_guard_uv"),
    ({"budget_fraction": 1.5}, "budget_fraction"),
    ({"sustained_fraction": 0}, "sustained_fraction"),
    ({"candidate_grades": ["5+"]}, "candidate_grades"),
    ({"candidate_grades": []}, "candidate_grades"),
    ({"target_muscles": "GAS-L"}, "target_muscles"),
    ({"cut_needs_checked_guards": "yes"}, "cut_needs_checked_guards"),
    ({"response_end_ms": 2.0}, "response_end_ms"),
])
def test_bad_overrides_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        config_from_overrides(overrides)
    assert raised.value.field == field


def test_config_file(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"version": CONFIG_VERSION, "noise_factor": 3}))
    assert load_config(path).noise_factor == 3.0
    path.write_text("[1, 2]")
    with pytest.raises(SessionConfigError, match="holds a JSON list; expected a session config"):
        load_config(path)
    path.write_text("{")
    with pytest.raises(SessionConfigError, match="not valid JSON"):
        load_config(path)
    with pytest.raises(SessionConfigError, match="no such file; give the path of a session config"):
        load_config(tmp_path / "absent.json")
