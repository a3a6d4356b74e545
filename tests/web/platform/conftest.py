"""Shared fixtures: the private media folder of the intake tests."""

from tests.web.intake.conftest import media  # noqa: F401
