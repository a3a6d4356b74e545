"""The staff consultation form: time zones chosen by name from a list, never typed."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.web.evaluation.forms import ConsultationForm
from stride.web.evaluation.models import Consultation
from tests.conftest import Cast

DATA = {"local_start": "2027-01-20T10:00", "clinic_time_zone": "Europe/Sofia",
        "family_time_zone": "Asia/Riyadh", "duration_minutes": "45",
        "meeting_url": "https://meet.example.org/x"}


def test_the_workspace_offers_time_zones_by_name(team: Cast, client: Client) -> None:
    client.force_login(team.clinician_a)
    page = client.get(reverse("evaluation:workspace", args=[team.case_a.pk])).text
    assert '<select name="family_time_zone"' in page
    assert '<option value="Asia/Riyadh">Riyadh (Asia/Riyadh)</option>' in page
    assert '<option value="Europe/Sofia" selected>Sofia (Europe/Sofia)</option>' in page


def test_a_zone_outside_the_list_is_refused(team: Cast) -> None:
    for bad in ("EET", "Asia/Atlantis", "Etc/GMT+3", ""):
        form = ConsultationForm({**DATA, "family_time_zone": bad})
        assert not form.is_valid()
        assert "family_time_zone" in form.errors
    assert ConsultationForm(DATA).is_valid()


def test_the_workspace_names_the_zones_of_a_booked_consultation(team: Cast,
                                                                 client: Client) -> None:
    client.force_login(team.clinician_a)
    assert client.post(reverse("evaluation:consultation", args=[team.case_a.pk]),
                       DATA).status_code == 302
    assert Consultation.objects.get().family_time_zone == "Asia/Riyadh"
    page = client.get(reverse("evaluation:workspace", args=[team.case_a.pk])).text
    assert "11:00</time> (Riyadh (Asia/Riyadh))" in page
