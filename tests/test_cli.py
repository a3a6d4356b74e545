"""The ``stride`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from stride import __version__
from stride.cli import main

STRIDE = Path(sys.executable).parent / "stride"


def test_version_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.strip() == f"stride {__version__}"


def test_no_subcommand_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: stride" in capsys.readouterr().out


def test_unknown_subcommand_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["teleport"])
    assert exited.value.code == 2
    assert "invalid choice: 'teleport'" in capsys.readouterr().err


def test_installed_command_runs() -> None:
    assert STRIDE.exists(), "the stride command is installed into the virtual environment"
    help_text = subprocess.run([str(STRIDE), "--help"], capture_output=True, text=True,  # noqa: S603
                               check=True).stdout
    assert "version" in help_text
    version = subprocess.run([str(STRIDE), "version"], capture_output=True, text=True,  # noqa: S603
                             check=True).stdout
    assert version.strip() == f"stride {__version__}"



def test_a_closed_pipe_is_not_an_error() -> None:
    """`stride references | head -1`: the reader leaves early; no traceback, status 0."""
    process = subprocess.Popen([str(STRIDE), "references"], stdout=subprocess.PIPE,  # noqa: S603
                               stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    # Close our end before the command has even started up: its first write meets EPIPE.
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert "Traceback" not in errors
