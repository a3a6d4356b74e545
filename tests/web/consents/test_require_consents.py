"""Which consents are in force for a child, and the check every use of data makes."""

from __future__ import annotations

import pytest
from django.utils import translation

from stride.core.consents import ConsentKind, ConsentMissing, DataUse
from stride.web.patients import services
from stride.web.patients.models import Consent
from stride.web.patients.selectors import consents_in_force
from stride.web.platform.messages import user_message
from tests.conftest import Cast


def _grant(cast: Cast, kind: ConsentKind) -> Consent:
    patient = cast.case_a.patient
    return services.grant_consent(by=None, patient=patient, kind=kind,
                                  granted_by=patient.guardians.first())


def test_in_force_are_the_kinds_granted_and_not_withdrawn(cast: Cast) -> None:
    patient = cast.case_a.patient
    assert consents_in_force(patient) == {ConsentKind.DATA_PROCESSING}
    story = _grant(cast, ConsentKind.STORY_PUBLICATION)
    assert consents_in_force(patient.pk) == {ConsentKind.DATA_PROCESSING,
                                             ConsentKind.STORY_PUBLICATION}
    services.withdraw_consent(by=cast.guardian_a, consent_id=story.pk)
    assert consents_in_force(patient) == {ConsentKind.DATA_PROCESSING}
    # Another child's consents never count.
    assert ConsentKind.STORY_PUBLICATION not in consents_in_force(cast.case_b.patient)


def test_given_again_after_withdrawal_is_in_force_again(cast: Cast) -> None:
    patient = cast.case_a.patient
    first = _grant(cast, ConsentKind.RESEARCH)
    services.withdraw_consent(by=cast.guardian_a, consent_id=first.pk)
    _grant(cast, ConsentKind.RESEARCH)
    assert ConsentKind.RESEARCH in consents_in_force(patient)
    assert Consent.objects.filter(patient=patient, kind="research").count() == 2


def test_require_consents_passes_when_all_are_in_force(cast: Cast) -> None:
    _grant(cast, ConsentKind.STORY_PUBLICATION)
    services.require_consents(patient=cast.case_a.patient, use=DataUse.PUBLIC_STORY)


def test_require_consents_names_what_is_missing_in_words(cast: Cast) -> None:
    patient = cast.case_a.patient
    with pytest.raises(ConsentMissing) as raised:
        services.require_consents(patient=patient, use=DataUse.STORY_MEDIA)
    assert raised.value.code == "consent-missing"
    assert raised.value.missing == (ConsentKind.PHOTO_VIDEO, ConsentKind.STORY_PUBLICATION)
    with translation.override("en"):
        text = user_message(raised.value)
    assert "Photos and videos of the child in a published story" in text
    assert "Publication of the family's story" in text
    assert "photo-video" not in text  # never a raw code


def test_withdrawn_data_processing_stops_every_use(cast: Cast) -> None:
    patient = cast.case_a.patient
    for kind in ConsentKind:
        if kind is not ConsentKind.DATA_PROCESSING:
            _grant(cast, kind)
    for use in DataUse:
        services.require_consents(patient=patient, use=use)
    consent = Consent.objects.get(patient=patient, kind="data-processing")
    services.withdraw_consent(by=cast.guardian_a, consent_id=consent.pk)
    for use in DataUse:
        with pytest.raises(ConsentMissing) as raised:
            services.require_consents(patient=patient, use=use)
        assert raised.value.missing == (ConsentKind.DATA_PROCESSING,)
