"""The user account, with one role per user."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from stride.core.roles import Role


class RoleChoices(models.TextChoices):
    GUARDIAN = Role.GUARDIAN.value, _("Guardian")
    COORDINATOR = Role.COORDINATOR.value, _("Coordinator")
    CLINICIAN = Role.CLINICIAN.value, _("Clinician")
    SURGEON = Role.SURGEON.value, _("Surgeon")
    ANALYST = Role.ANALYST.value, _("Registry analyst")
    ADMIN = Role.ADMIN.value, _("Administrator")


class StrideUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        extra_fields.setdefault("role", Role.ADMIN.value)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in to Stride.

    ``is_staff`` and ``is_superuser`` (entry to, and every permission in, the Django admin)
    are derived from the role on every save: administrators, and only they, manage the
    admin site, whatever else is set. Patient records are not registered there at all.
    """

    role = models.CharField(_("role"), max_length=16, choices=RoleChoices.choices)
    #: The language of the pages the user last signed in with: their e-mails (a password
    #: reset, a changed password) are written in it. Empty until the first sign-in.
    language = models.CharField(_("language"), max_length=16, blank=True, default="",
                                db_default="")

    objects: ClassVar[StrideUserManager] = StrideUserManager()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.is_staff = self.is_superuser = self.role == Role.ADMIN.value
        super().save(*args, **kwargs)

    @property
    def stride_role(self) -> Role:
        """The user's role as the core enum."""
        return Role(self.role)
