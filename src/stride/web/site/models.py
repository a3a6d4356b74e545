"""Tables of the programme's public pages: staff who chose a public profile, questions and
answers, what a stay costs, travel help.

Everything a family reads is entered per language: each item has one row of text per
language (``*Text`` tables, one language once). A page shows the reader's language, or
else the programme's language with a note saying the text is not yet translated
(``selectors.pick_text``). Nothing here is invented: a cost range is the programme's own,
and demo rows are marked ``is_synthetic`` and say so on the page.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stride.core.costs import CURRENCIES, MAX_AMOUNT
from stride.core.pathway import Programme
from stride.web.platform.names import money
from stride.web.platform.words import PROGRAMME_WORDS

#: The site's languages: every text row is in one of them.
LANGUAGE_CHOICES: Final = list(settings.LANGUAGES)

#: The consent a member of staff gives to be shown on the public team page, by version.
#: The version given is stored with the consent; a new text is a new version.
PUBLIC_PROFILE_CONSENT_VERSION: Final = "staff-public-profile-v1"
PUBLIC_PROFILE_CONSENT_TEXTS: Final = {
    PUBLIC_PROFILE_CONSENT_VERSION: _(
        "I agree that the programme shows my name, my role, my photo (if I add one) and "
        "the biography I write on its public team page, in every language I write it in. "
        "I can withdraw this at any time on this page, and my profile then leaves the "
        "public page at once."),
}


class StaffProfile(models.Model):
    """A member of staff's public profile: what the team page may show, and their consent.

    Shown only while ``consented_at`` is set and ``consent_withdrawn_at`` is empty (a
    withdrawal hides it at the next page load: nothing is cached). Only care-team roles
    (coordinators, clinicians, surgeons) have one; the page that edits it refuses others.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="public_profile")
    display_name = models.CharField(_("name shown"), max_length=120)
    role_title = models.CharField(_("role shown"), max_length=160)
    photo = models.BinaryField(_("photo"), blank=True, default=b"", editable=False)
    photo_content_type = models.CharField(max_length=40, blank=True, editable=False)
    consent_text_version = models.CharField(max_length=40, blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public staff profile")
        verbose_name_plural = _("public staff profiles")

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_public(self) -> bool:
        """Whether the consent is given and not withdrawn."""
        return self.consented_at is not None and self.consent_withdrawn_at is None

    @property
    def photo_data_uri(self) -> str:
        """The photo as a ``data:`` URI (the site's CSP allows images from data URIs), or
        "" without a photo: no URL with an id, so nothing to guess."""
        if not self.photo:
            return ""
        return (f"data:{self.photo_content_type};base64,"
                f"{base64.b64encode(bytes(self.photo)).decode()}")


class StaffBiography(models.Model):
    """A staff profile's role and biography in one language."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE,
                                related_name="biographies")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    #: The role in this language ("جراح أعصاب الأطفال"); empty: the profile's role is shown.
    role_title = models.CharField(_("role shown in this language"), max_length=160,
                                  blank=True, default="")
    text = models.TextField(_("biography"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "language"],
                                               name="site_one_biography_per_language")]

    def __str__(self) -> str:
        return f"{self.profile} ({self.language})"


class Question(models.Model):
    """A frequently asked question; its words are in :class:`QuestionText`, per language."""

    order = models.PositiveSmallIntegerField(_("order"), default=0,
                                             help_text=_("Smaller numbers come first."))
    published = models.BooleanField(_("published"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetic demo content"), default=False,
        help_text=_("Demo data: the page says it is a synthetic example."))

    class Meta:
        ordering = ("order", "id")
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self) -> str:
        first = self.texts.order_by("id").first()
        return first.question if first else gettext("Question %(number)s") % {
            "number": self.pk}


class QuestionText(models.Model):
    """A question and its answer in one language."""

    entry = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        verbose_name = _("question in one language")
        verbose_name_plural = _("the question in each language")
        constraints = [models.UniqueConstraint(fields=["entry", "language"],
                                               name="site_one_question_text_per_language")]

    def __str__(self) -> str:
        return self.question


PROGRAMME_CHOICES: Final = [(programme.value, PROGRAMME_WORDS[programme])
                            for programme in (Programme.SDR, Programme.REHABILITATION,
                                              Programme.CELL_THERAPY)]


class CostRange(models.Model):
    """What a stay for one treatment costs, as a range the programme sets.

    The final figure for a child is the cost estimate the coordinator sends after the
    evaluation; the page says so beside every range.
    """

    programme = models.CharField(_("programme"), max_length=40, choices=PROGRAMME_CHOICES)
    order = models.PositiveSmallIntegerField(_("order"), default=0,
                                             help_text=_("Smaller numbers come first."))
    currency = models.CharField(_("currency"), max_length=3,
                                help_text=_("ISO 4217 code, such as EUR."))
    low = models.DecimalField(_("lowest amount"), max_digits=12, decimal_places=2,
                              validators=[MinValueValidator(Decimal("0")),
                                          MaxValueValidator(MAX_AMOUNT)])
    high = models.DecimalField(_("highest amount"), max_digits=12, decimal_places=2,
                               validators=[MinValueValidator(Decimal("0")),
                                           MaxValueValidator(MAX_AMOUNT)])
    valid_from = models.DateField(_("set on"),
                                  help_text=_("The date the programme set these amounts."))
    published = models.BooleanField(_("published"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetic demo figures"), default=False,
        help_text=_("Demo data: the page says these are not the programme's prices."))

    class Meta:
        ordering = ("programme", "order", "id")
        verbose_name = _("cost range")
        verbose_name_plural = _("cost ranges")
        constraints = [
            models.CheckConstraint(condition=Q(low__lte=F("high")),
                                   name="site_cost_range_low_not_above_high"),
            models.CheckConstraint(condition=Q(low__gte=0), name="site_cost_range_not_negative"),
        ]

    def __str__(self) -> str:
        return (f"{self.get_programme_display()}: {money(self.low, self.currency)} – "
                f"{money(self.high, self.currency)}")

    def clean(self) -> None:
        """Refuse a lowest amount above the highest, or an unknown currency, with what to do."""
        super().clean()
        errors: dict[str, str] = {}
        if self.currency and self.currency.upper() not in CURRENCIES:
            errors["currency"] = gettext(
                "Choose the currency from the list (an ISO 4217 code such as EUR).")
        if self.low is not None and self.high is not None and self.low > self.high:
            errors["high"] = gettext(
                "The highest amount is below the lowest amount. Enter a highest amount "
                "that is the same as the lowest or larger.")
        if errors:
            raise ValidationError(errors)


class CostRangeText(models.Model):
    """A cost range's words in one language: the treatment, what is included and not."""

    cost_range = models.ForeignKey(CostRange, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    label = models.CharField(_("treatment"), max_length=200,
                             help_text=_("What the range is for, e.g. the operation and "
                                         "four weeks of rehabilitation."))
    included = models.TextField(_("what is included"), blank=True)
    not_included = models.TextField(_("what is not included"), blank=True)

    class Meta:
        verbose_name = _("cost range in one language")
        verbose_name_plural = _("the cost range in each language")
        constraints = [models.UniqueConstraint(fields=["cost_range", "language"],
                                               name="site_one_cost_text_per_language")]

    def __str__(self) -> str:
        return self.label


class TravelTopic(models.TextChoices):
    VISAS = "visas", _("Visas")
    ACCOMMODATION = "accommodation", _("Accommodation")
    INTERPRETERS = "interpreters", _("Interpreters")
    GETTING_THERE = "getting-there", _("Getting there")
    OTHER = "other", _("Other")


class TravelHelp(models.Model):
    """One section of the travel and accommodation page; its words are per language."""

    topic = models.CharField(_("topic"), max_length=20, choices=TravelTopic.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0,
                                             help_text=_("Smaller numbers come first."))
    published = models.BooleanField(_("published"), default=True)
    is_synthetic = models.BooleanField(
        _("synthetic demo content"), default=False,
        help_text=_("Demo data: the page says it is a synthetic example."))

    class Meta:
        ordering = ("order", "id")
        verbose_name = _("travel help section")
        verbose_name_plural = _("travel help sections")

    def __str__(self) -> str:
        return str(self.get_topic_display())


class TravelHelpText(models.Model):
    """A travel help section's title and text in one language."""

    section = models.ForeignKey(TravelHelp, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=16, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("section in one language")
        verbose_name_plural = _("the section in each language")
        constraints = [models.UniqueConstraint(fields=["section", "language"],
                                               name="site_one_travel_text_per_language")]

    def __str__(self) -> str:
        return self.title
