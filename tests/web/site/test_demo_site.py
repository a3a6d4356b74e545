"""The demo's public content: synthetic, in all five languages, loaded once."""

from __future__ import annotations

from django.conf import settings

from stride.web.demo.site import load_demo_site
from stride.web.platform.request_origin import audit_context
from stride.web.site.models import CostRange, Question, StaffProfile, TravelHelp
from stride.web.site.selectors import public_profiles
from tests.web.site.conftest import DemoStaff

LANGUAGES = sorted(code for code, _name in settings.LANGUAGES)


def test_the_demo_content_is_synthetic_and_in_every_language(demo_site: DemoStaff) -> None:
    assert Question.objects.count() == 6
    assert TravelHelp.objects.count() == 4
    assert CostRange.objects.count() == 3
    for model in (Question, CostRange, TravelHelp):
        for item in model.objects.all():
            assert item.is_synthetic
            assert sorted(item.texts.values_list("language", flat=True)) == LANGUAGES
    assert set(CostRange.objects.values_list("currency", flat=True)) == {"EUR"}
    assert set(CostRange.objects.values_list("programme", flat=True)) == {
        "sdr", "rehabilitation", "cell-therapy-investigational"}
    for cost in CostRange.objects.all():
        assert cost.low <= cost.high


def test_three_demo_staff_consented_and_the_second_clinician_did_not(
        demo_site: DemoStaff) -> None:
    shown = {profile.user for profile in public_profiles()}
    assert shown == {demo_site.coordinator, demo_site.clinician, demo_site.surgeon}
    withheld = StaffProfile.objects.get(user=demo_site.clinician_2)
    assert withheld.consented_at is None


def test_loading_again_adds_nothing_and_keeps_a_withdrawal(demo_site: DemoStaff) -> None:
    from stride.web.site import services
    services.withdraw_public_profile_consent(by=demo_site.surgeon)
    users = {"demo-coordinator": demo_site.coordinator, "demo-clinician": demo_site.clinician,
             "demo-surgeon": demo_site.surgeon, "demo-clinician-2": demo_site.clinician_2}
    with audit_context(request_id="test-demo-again", ip=None):
        assert load_demo_site(users) == 0
    assert Question.objects.count() == 6
    assert StaffProfile.objects.count() == 4
    assert demo_site.surgeon not in {profile.user for profile in public_profiles()}
