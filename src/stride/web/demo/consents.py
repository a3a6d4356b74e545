"""Synthetic demo consents for the demo guardian's child (issue 18).

The demo guardian (``demo-guardian``) has given the story and the photo-and-video consents
by a click in the portal, and the demo coordinator has recorded a research consent from a
signed paper, whose scan is a small synthetic PDF marked "Synthetic demo". So the portal's
"Your consents" page, the case page's consent table (with its scan) and the story pages
that check consents all have something to show.

Idempotent: a kind that already has a consent row for the child (in force or withdrawn) is
left as it is, so a withdrawal made while trying the demo is not undone by a reload.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from stride.core.consents import ConsentKind, ConsentMethod
from stride.web.accounts.models import User
from stride.web.patients import services
from stride.web.patients.models import Case, Consent, Guardian
from stride.web.platform.pdf import STYLESHEET_URL, pdf_bytes
from stride.web.platform.uploads import STAGING_FOLDER, StagedFile, media_root

_SCAN_HTML = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="{STYLESHEET_URL}"><title>Synthetic demo</title></head><body>
<h1>Synthetic demo: research consent</h1>
<p>Synthetic demo document, not a real consent and not a real signature. It stands for the
scan of a signed paper that a coordinator records on the case page.</p>
<p>I agree that my child's records may be used in research approved by an ethics committee.
</p>
<p>Signed: Demo Guardian (synthetic)</p>
</body></html>"""


def _synthetic_scan() -> StagedFile:
    """A small PDF marked "Synthetic demo", placed in the staging folder like an upload."""
    content = pdf_bytes(_SCAN_HTML)
    stored_name = f"{secrets.token_hex(16)}.pdf"
    (media_root() / STAGING_FOLDER / stored_name).write_bytes(content)
    return StagedFile(stored_name=stored_name, original_name="synthetic-demo-research-consent.pdf",
                      content_type="application/pdf", size_bytes=len(content),
                      sha256=hashlib.sha256(content).hexdigest(), metadata_removed=False)


def load_demo_consents(users: dict[str, User], case: Case | None) -> int:
    """Give the demo guardian's child (``case``: ``loader.DEMO_GUARDIAN_CASE``) its story,
    photo-and-video and research consents; return how many consents were added (0 when
    there is no such case, or all exist)."""
    guardian_user = users.get("demo-guardian")
    coordinator = users.get("demo-coordinator")
    if case is None or guardian_user is None or coordinator is None:
        return 0
    patient = case.patient
    guardian = Guardian.objects.filter(patient=patient, user=guardian_user).first()
    if guardian is None:
        return 0
    existing = set(Consent.objects.filter(patient=patient).values_list("kind", flat=True))
    now = timezone.now()
    added = 0
    for kind in (ConsentKind.STORY_PUBLICATION, ConsentKind.PHOTO_VIDEO):
        if kind.value not in existing:
            services.grant_consent(by=guardian_user, patient=patient, kind=kind,
                                   granted_by=guardian, method=ConsentMethod.PORTAL_CLICK,
                                   at=now - timedelta(days=3))
            added += 1
    if ConsentKind.RESEARCH.value not in existing:
        services.grant_consent(by=coordinator, patient=patient, kind=ConsentKind.RESEARCH,
                               granted_by=guardian, method=ConsentMethod.SIGNED_PAPER,
                               paper=_synthetic_scan(), at=now - timedelta(days=10))
        added += 1
    return added
