"""Administrators manage the intake rota (who receives which programme's inquiries)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.intake.models import IntakeRota
from tests.conftest import make_user


def test_admin_puts_a_coordinator_on_the_rota(client: Client, db: None) -> None:
    coordinator = make_user(Role.COORDINATOR, "rota-coordinator")
    clinician = make_user(Role.CLINICIAN, "rota-clinician")
    client.force_login(make_user(Role.ADMIN))
    add = reverse("admin:intake_intakerota_add")
    form = client.get(add)
    assert form.status_code == 200
    assert "rota-coordinator" in form.text
    assert "rota-clinician" not in form.text  # only coordinators can receive inquiries

    response = client.post(add, {"programme": "sdr", "coordinator": coordinator.pk})
    assert response.status_code == 302
    assert IntakeRota.objects.filter(programme="sdr", coordinator=coordinator).exists()
    refused = client.post(add, {"programme": "sdr", "coordinator": clinician.pk})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.text
    listing = client.get(reverse("admin:intake_intakerota_changelist"))
    assert "rota-coordinator" in listing.text


def test_coordinators_cannot_edit_the_rota(client: Client, db: None) -> None:
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(reverse("admin:intake_intakerota_changelist"))
    assert response.status_code == 302
