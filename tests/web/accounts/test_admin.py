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


def test_every_account_an_administrator_sees_is_an_audited_read(client: Client,
                                                                 db: None) -> None:
    admin = make_user(Role.ADMIN, "root.reader")
    guardian = make_user(Role.GUARDIAN, "parent.reader@test.invalid")
    clinician = make_user(Role.CLINICIAN, "dr.reader")
    client.force_login(admin)
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert listing.status_code == 200
    reads = AuditEvent.objects.filter(action=Action.READ, object_type="account", actor=admin)
    assert set(reads.values_list("object_id", flat=True)) == {
        "root.reader", "parent.reader@test.invalid", "dr.reader"}
    assert len({event.request_id for event in reads}) == 1  # one page, one request

    page = client.get(reverse("admin:accounts_user_change", args=[guardian.pk]))
    assert page.status_code == 200
    assert "parent.reader@test.invalid" in page.text
    assert reads.filter(object_id="parent.reader@test.invalid").count() == 2
    client.get(reverse("admin:accounts_user_history", args=[clinician.pk]))
    assert reads.filter(object_id="dr.reader").count() == 2
    # A search shows only what it found, and only that is read.
    client.get(reverse("admin:accounts_user_changelist"), {"q": "dr.reader"})
    assert reads.filter(object_id="dr.reader").count() == 3
    assert reads.filter(object_id="parent.reader@test.invalid").count() == 2


def test_an_administrators_changes_to_accounts_are_audited(client: Client, db: None) -> None:
    admin = make_user(Role.ADMIN, "root.writer")
    guardian = make_user(Role.GUARDIAN, "parent.writer@test.invalid")
    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[guardian.pk])
    form = client.get(url)
    assert form.status_code == 200
    client.post(url, {
        "username": guardian.username, "first_name": "Renamed", "last_name": "Test",
        "email": "renamed@test.invalid", "role": "guardian", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "10:00:00",
    })
    guardian.refresh_from_db()
    assert guardian.first_name == "Renamed"
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="account",
                                     object_id="parent.writer@test.invalid",
                                     actor=admin).count() == 1
    password_url = reverse("admin:auth_user_password_change", args=[guardian.pk])
    client.post(password_url, {"password1": "another-long-passphrase-9",
                               "password2": "another-long-passphrase-9",
                               "usable_password": "true"})
    guardian.refresh_from_db()
    assert guardian.check_password("another-long-passphrase-9")
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_type="password",
                                     object_id="parent.writer@test.invalid",
                                     actor=admin).count() == 1
