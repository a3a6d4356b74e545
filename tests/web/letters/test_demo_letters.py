"""On a fresh demo, the demo guardian downloads every letter PDF in the portal, and the
visa invitation and cost estimate carry the synthetic letterhead and full travel data."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.web.accounts.models import User
from stride.web.coordination.models import CostEstimate, Traveller
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.documents.models import Letter, LetterKind
from stride.web.patients.models import Case
from stride.web.platform.models import ProgrammeProfile

SMALL_REGISTRY = 10


def test_demo_guardian_downloads_every_letter_with_the_synthetic_letterhead(
        db: None, client: Client) -> None:
    load_demo(children=12, registry_children=SMALL_REGISTRY)
    profile = ProgrammeProfile.objects.get()
    assert profile.is_synthetic
    assert "(synthetic)" in profile.legal_name
    assert profile.logo_data_uri.startswith("data:image/png;base64,")
    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    kinds = set(Letter.objects.filter(case=case).values_list("kind", flat=True))
    assert {LetterKind.VISA_INVITATION.value, LetterKind.COST_ESTIMATE.value} <= kinds
    travellers = list(Traveller.objects.filter(plan__case=case))
    assert len(travellers) == 2
    assert all(t.passport_number and t.date_of_birth for t in travellers)
    visa = Letter.objects.get(case=case, kind=LetterKind.VISA_INVITATION.value)
    for traveller in travellers:
        assert traveller.passport_number in visa.html
    assert profile.legal_name.replace("'", "&#x27;") in visa.html
    assert "Dr Synthetic Demo-Director" in visa.html
    assert CostEstimate.objects.filter(case=case).exclude(letter=None).exists()

    client.force_login(User.objects.get(username="demo-guardian"))
    page = client.get(reverse("portal:case", args=[case.pk])).text
    assert 'data-testid="family-estimate"' in page
    letters = list(Letter.objects.filter(case=case))
    for letter in letters:
        url = reverse("portal:letter-pdf", args=[case.pk, letter.pk])
        assert url in page
        response = client.get(url)
        assert response.status_code == 200, (letter.kind, response.status_code)
        assert b"".join(response.streaming_content).startswith(  # type: ignore[attr-defined]
            b"%PDF")

    again = load_demo(children=12, registry_children=SMALL_REGISTRY)
    assert again.children_created == 0
    assert Letter.objects.filter(case=case).count() == len(letters)  # nothing twice
    assert ProgrammeProfile.objects.count() == 1
