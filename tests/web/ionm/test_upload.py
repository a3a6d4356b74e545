"""Importing a whole EDF+ recording: type by content, size limit, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.core.rootlets.edf import write_edf
from stride.web.ionm.models import Stimulation
from tests.web.ionm.conftest import Live, small_recording


def _upload(client: Client, live: Live, name: str, content: bytes) -> object:
    client.force_login(live.cast.surgeon_a)
    return client.post(reverse("ionm:upload", args=[live.session.pk]),
                       {"recording": SimpleUploadedFile(name, content)}, follow=True)


def test_a_whole_edf_recording_is_imported(live: Live, client: Client, tmp_path: Path) -> None:
    edf = tmp_path / "session.edf"
    write_edf(small_recording(), edf, note="SYNTHETIC-Stride-upload")
    response = _upload(client, live, "session.edf", edf.read_bytes())
    assert "16 stimulations were imported." in response.text  # type: ignore[attr-defined]
    assert Stimulation.objects.filter(session=live.session).count() == 16


def test_a_file_that_is_not_edf_is_refused_by_content(live: Live, client: Client) -> None:
    response = _upload(client, live, "session.edf", b"%PDF-1.7 not a recording" * 20)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "not a continuous EDF+ recording" in response.text  # type: ignore[attr-defined]
    assert not Stimulation.objects.exists()


def test_a_recording_over_the_limit_is_refused(live: Live, client: Client,
                                              settings: object) -> None:
    settings.STRIDE_UPLOAD_RECORDING_MAX_BYTES = 1000  # type: ignore[attr-defined]
    response = _upload(client, live, "session.edf", b"0       " + b" " * 5000)
    assert "larger than" in response.text  # type: ignore[attr-defined]
    assert not Stimulation.objects.exists()


def test_a_truncated_edf_is_refused_with_nothing_stored(live: Live, client: Client,
                                                       tmp_path: Path) -> None:
    edf = tmp_path / "session.edf"
    write_edf(small_recording(), edf, note="SYNTHETIC-Stride-upload")
    response = _upload(client, live, "session.edf", edf.read_bytes()[:4000])
    assert "was not imported" in response.text  # type: ignore[attr-defined]
    assert not Stimulation.objects.exists()
