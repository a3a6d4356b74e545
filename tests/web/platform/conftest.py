"""Shared fixtures: the private media folder of the intake tests, and English messages."""

from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.web.intake.conftest import media  # noqa: F401


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The messages these tests read are the English ones, whatever language an earlier
    test's request left active in this thread."""
    with translation.override("en"):
        yield
