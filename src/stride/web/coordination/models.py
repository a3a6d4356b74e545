"""Coordination of a case with the family: messages, travel plans, cost estimates.

Letters are part of the case's record (:mod:`stride.web.documents.models`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.patients.models import Case

#: Longest message accepted, characters (a long letter fits; a pasted record does not).
MAX_MESSAGE_CHARACTERS = 5000
#: Longest reason for a decline, characters.
MAX_REASON_CHARACTERS = 2000
#: Longest question of a family about a cost estimate (posted as a message with a lead).
MAX_QUESTION_CHARACTERS = 4000

class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    INFORMATION_REQUEST = "information-request", _("Request for information")


class Message(models.Model):
    """One message between the family and the programme about a case.

    ``from_family`` says which side wrote it; ``author`` is the account that wrote it (a
    guardian's portal account or a staff member).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    from_family = models.BooleanField()
    kind = models.CharField(max_length=24, choices=MessageKind.choices,
                            default=MessageKind.MESSAGE)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(default=timezone.now)
    #: When the other side first opened it (``None``: unread).
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("sent_at", "id")
        indexes = (models.Index(fields=("case", "sent_at"), name="message_case_sent"),)

    def __str__(self) -> str:
        return f"{'family' if self.from_family else 'programme'} message on {self.case}"


class TravelPlan(models.Model):
    """Planned dates of the family's stay and the interpreter they need."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="travel_plan")
    arrival_date = models.DateField(_("arrival"), null=True, blank=True)
    departure_date = models.DateField(_("departure"), null=True, blank=True)
    #: Language code the interpreter must speak (blank: no interpreter needed).
    interpreter_language = models.CharField(_("interpreter language"), max_length=10,
                                            blank=True)
    #: ISO 3166-1 alpha-2 code of the country whose consulate issues the family's visas
    #: (blank: not chosen yet; a visa invitation needs it).
    visa_country = models.CharField(_("country of the consulate"), max_length=2, blank=True)
    #: The consulate's city, when the family applies outside the capital (optional).
    consulate_city = models.CharField(_("city of the consulate"), max_length=100, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"travel plan for {self.case}"


class TravellerRole(models.TextChoices):
    PATIENT = "patient", _("Patient")
    GUARDIAN = "guardian", _("Guardian")
    COMPANION = "companion", _("Companion")


class Traveller(models.Model):
    """One person travelling for the case (named on a visa invitation letter)."""

    plan = models.ForeignKey(TravelPlan, on_delete=models.PROTECT, related_name="travellers")
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    role = models.CharField(_("role"), max_length=16, choices=TravellerRole.choices)
    #: ISO 3166-1 alpha-2 code of the passport's country.
    nationality = models.CharField(_("nationality"), max_length=2)
    #: As printed in the passport, letters and digits in capitals (blank: not given yet;
    #: a visa invitation needs it).
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class CostEstimate(models.Model):
    """A cost estimate given to the family: lines in one currency."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="cost_estimates")
    #: ISO 4217 code (``EUR``, ``USD``, ``CNY``, ...).
    currency = models.CharField(_("currency"), max_length=3)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    #: Last day the amounts hold (optional; shown in the letter).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    #: The letter that sent it to the family (``None``: a draft the family does not see).
    letter = models.OneToOneField("documents.Letter", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    #: When and by which guardian account the family accepted it (once only).
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    #: The family's latest question about it (posted on the case's conversation too).
    question = models.ForeignKey(Message, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ("-created_at", "id")

    def __str__(self) -> str:
        return f"cost estimate in {self.currency} for {self.case}"


class CostLine(models.Model):
    """One line of a cost estimate; amounts in the estimate's currency."""

    estimate = models.ForeignKey(CostEstimate, on_delete=models.PROTECT, related_name="lines")
    description = models.CharField(_("description"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit_amount = models.DecimalField(_("unit amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.description
