"""Intake fixtures: a private media folder per test and a valid inquiry's form data."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings as SettingsWrapper

from tests.web.files import MP4, PDF


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Point MEDIA_ROOT at an empty folder for the test and return it."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    """Return every file under the media folder (staging included)."""
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def inquiry_data(**changes: Any) -> dict[str, Any]:
    """Return POST data of a complete, valid inquiry (synthetic child), with ``changes``."""
    data: dict[str, Any] = {
        "child_given_name": "Synthetic", "child_family_name": "Inquirychild",
        "date_of_birth": "2019-05-17", "sex": "female", "country": "BG",
        "languages": ["bg", "en"],
        "guardian_given_name": "Parent", "guardian_family_name": "Inquirychild",
        "relationship": "mother", "email": "parent.inquiry@test.invalid", "phone": "",
        "preferred_language": "bg", "programme": "sdr",
        "lay_cp_type": "spastic", "gmfcs_estimate": "2", "seizures": "never",
        "last_seizure": "", "seizure_medicines": "", "hydrocephalus": "no",
        "goals": ["walking"], "goals_text": "",
        "treatment_botulinum_toxin": "had", "treatment_botulinum_toxin_last": "2025-01-10",
        "treatment_orthopaedic_surgery": "never", "treatment_orthopaedic_surgery_last": "",
        "treatment_sdr": "never", "treatment_sdr_last": "",
        "treatment_baclofen_pump": "never", "treatment_baclofen_pump_last": "",
        "treatment_cell_therapy": "dont-know", "treatment_cell_therapy_last": "",
        "consent_data_processing": "on", "consent_cross_border": "on",
        "website": "", "token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def pdf_upload(name: str = "mri-report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def video_upload(name: str = "walking.mp4", content: bytes = MP4) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="video/mp4")
