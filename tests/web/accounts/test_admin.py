"""The Django admin is for administrators only, and shows the audit trail read-only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD, make_user


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_non_admin_roles_cannot_enter_the_admin(client: Client, db: None, role: Role) -> None:
    user = make_user(role)
    assert not user.is_staff
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_flag_follows_the_role(db: None) -> None:
    user = make_user(Role.CLINICIAN)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)


def test_admin_sees_the_audit_trail_but_cannot_change_it(client: Client, db: None) -> None:
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403


def test_patient_records_are_not_in_the_admin(client: Client, db: None) -> None:
    client.force_login(make_user(Role.ADMIN))
    assert client.get("/admin/patients/patient/").status_code == 404


def test_admin_sign_in_is_throttled_too(client: Client, db: None) -> None:
    make_user(Role.ADMIN, "root.admin")
    url = reverse("admin:login")
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        client.post(url, {"username": "root.admin", "password": "wrong"})
    response = client.post(url, {"username": "root.admin", "password": PASSWORD})
    assert "Too many failed sign-in attempts" in response.text
    assert AuditEvent.objects.filter(action=Action.FAILED_LOGIN).count() == (
        settings.STRIDE_LOGIN_MAX_FAILURES + 1)
