"""Consent fixtures: a private media folder per test and small synthetic scans."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Point MEDIA_ROOT at an empty folder for the test and return it."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    """Every file under the media folder (staging included)."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
