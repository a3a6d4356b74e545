"""Fixtures of the public pages' tests: the demo's profile and content on demand."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.demo.letters import load_demo_profile
from stride.web.demo.site import load_demo_site
from stride.web.platform.request_origin import audit_context
from tests.conftest import make_user


@dataclass
class DemoStaff:
    coordinator: User
    clinician: User
    surgeon: User
    clinician_2: User


@pytest.fixture
def demo_site(db: None) -> DemoStaff:
    """The synthetic profile and public content, with the demo's four staff profiles."""
    users = {name: make_user(role, name) for name, role in (
        ("demo-coordinator", Role.COORDINATOR), ("demo-clinician", Role.CLINICIAN),
        ("demo-surgeon", Role.SURGEON), ("demo-clinician-2", Role.CLINICIAN))}
    with audit_context(request_id="test-demo-site", ip=None):
        load_demo_profile()
        load_demo_site(users)
    return DemoStaff(coordinator=users["demo-coordinator"], clinician=users["demo-clinician"],
                     surgeon=users["demo-surgeon"], clinician_2=users["demo-clinician-2"])


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes, scripts or comments."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
