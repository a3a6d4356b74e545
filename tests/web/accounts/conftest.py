"""Helpers for the accounts tests: second factors made through the libraries, codes computed
with them (never by hand)."""

from __future__ import annotations

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from stride.web.accounts.models import User


def add_authenticator(user: User) -> TOTPDevice:
    """A confirmed authenticator app for ``user`` (django-otp's TOTP device)."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` 30-second steps later), as text."""
    device.refresh_from_db()
    app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    app.time = time.time() + steps_ahead * device.step
    return f"{app.token():0{device.digits}d}"


def sign_in_verified(client: Client, user: User, device: TOTPDevice) -> None:
    """Sign ``client`` in as ``user`` with the second factor already passed."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
