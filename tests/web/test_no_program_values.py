"""No page of the demo shows a program value: every candidacy, workspace, follow-up,
treatment and letter page, as every demo role that may open it, in English and Arabic.

A program value is what the code holds rather than what a reader needs: an enum's repr
(``<MriFinding.PVL: 'pvl'>``), a dict or tuple repr (``{'5m': '4'}``, ``('walking',)``),
a float with its machine tail (``3.4285714285714284``), ``True``/``False``/``None``, or an
internal identifier such as ``significant_scoliosis``. Only the text a person reads is
scanned (text nodes, ``title`` and ``aria-label``), not the machine-readable attributes
(``datetime="2026-…"``) that pages carry on purpose.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from stride.web.accounts.models import User
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.documents.models import Letter
from stride.web.followup.models import Visit
from stride.web.patients.models import Case

PROGRAM_VALUES = {
    "an enum repr": re.compile(r"<[A-Z]\w*\.[A-Z0-9_]+: "),
    "a dict repr": re.compile(r"\{'[^']*': "),
    "a tuple or list repr": re.compile(r"\(\s*'[^']*',\s*\)|\['[^']*'(, '[^']*')*\]"),
    "a machine float": re.compile(r"\d\.\d{5,}"),
    "a Python constant": re.compile(r"\b(True|False|None)\b"),
    "an internal identifier": re.compile(r"\b[a-z]+(_[a-z0-9]+)+\b"),
    "a rule-set id": re.compile(r"\b[a-z]+(-[a-z]+)*-v\d+\b"),
}
#: Words that look like identifiers but are what a reader should see (none yet).
ALLOWED: frozenset[str] = frozenset()


class _Visible(HTMLParser):
    """Collects the text a person reads: text nodes and the labels read aloud."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "svg"):
            self._skip += 1
        self.parts.extend(value for name, value in attrs
                          if name in ("title", "aria-label", "alt") and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def program_values(html: str) -> list[tuple[str, str]]:
    """``(kind, text)`` of every program value in the page's visible text."""
    text = visible_text(html)
    found = []
    for kind, pattern in PROGRAM_VALUES.items():
        for match in pattern.finditer(text):
            if match.group(0) not in ALLOWED:
                start = max(0, match.start() - 60)
                found.append((kind, text[start:match.end() + 20].replace("\n", " ")))
    return found


def test_the_scanner_finds_each_kind_of_program_value() -> None:
    # As a template writes them: autoescaped.
    page = ("<p>(&lt;MriFinding.PVL: &#x27;pvl&#x27;&gt;,)</p><p>(&#x27;walking&#x27;,)</p>"
            "<p>{&#x27;5m&#x27;: &#x27;4&#x27;}</p><p>3.4285714285714284</p>"
            "<p>False</p><p>Not known yet: significant_scoliosis</p><p>sdr-v1</p>"
            '<time datetime="2026-10-29T12:25:58.061867+00:00">29 Oct 2026</time>')
    kinds = {kind for kind, _text in program_values(page)}
    assert kinds == set(PROGRAM_VALUES)


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(children=60, registry_children=20)


def _pages(user: User) -> list[str]:
    """Every candidacy, workspace, follow-up, treatment and letter page ``user`` opens."""
    role = user.role
    if role == "guardian":
        case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
        urls = [reverse("portal:case", args=[case.pk])]
        urls += [reverse("portal:letter", args=[case.pk, letter.pk])
                 for letter in Letter.objects.filter(case=case)]
        urls += [reverse("followup:family-report", args=[case.pk, visit.pk])
                 for visit in Visit.objects.filter(case=case, completed_at__isnull=True)[:2]]
        return urls
    cases = Case.objects.filter(memberships__user=user, memberships__removed_at__isnull=True,
                                reference__startswith="DEMO-").order_by("reference")[:12]
    urls = []
    for case in cases:
        if role in ("clinician", "surgeon", "coordinator"):
            urls += [reverse("evaluation:workspace", args=[case.pk]),
                     reverse("evaluation:candidacy", args=[case.pk]),
                     reverse("followup:case", args=[case.pk]),
                     reverse("treatment:episodes", args=[case.pk])]
        if role == "coordinator":
            urls += [reverse("coordination:case", args=[case.pk])]
        urls += [reverse("coordination:letter", args=[case.pk, letter.pk])
                 for letter in Letter.objects.filter(case=case)[:3]]
    return urls


def test_no_demo_page_shows_a_program_value_to_any_role(demo: None) -> None:
    # One demo load for both languages: loading is most of this test's time.
    seen, problems = 0, []
    for language in ("en", "ar"):
        for user in User.objects.filter(username__startswith="demo-").order_by("username"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(user)
            for url in _pages(user):
                response = client.get(url)
                if response.status_code != 200:
                    continue  # a page this role may not open (tested elsewhere)
                seen += 1
                with translation.override(language):
                    problems += [(language, user.username, url, *found)
                                 for found in program_values(response.content.decode())]
    assert seen >= 80, f"only {seen} pages were scanned"
    assert problems == []
