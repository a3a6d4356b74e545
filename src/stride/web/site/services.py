"""Writes of the site app: a member of staff's own public profile and its consent.

Programme content (questions, cost ranges, travel help) is entered by administrators in
the Django admin, which keeps its own history; these services are the staff member's own
page. Each is one transaction with its audit event (object type ``public-profile``, the
object id the profile's).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stride.core.errors import StrideError
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.web.accounts.models import User
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.site.models import (
    PUBLIC_PROFILE_CONSENT_TEXTS,
    PUBLIC_PROFILE_CONSENT_VERSION,
    StaffBiography,
    StaffProfile,
)

NAME_MAX = 120
ROLE_TITLE_MAX = 160
BIOGRAPHY_MAX = 2000


class PublicProfileRefused(StrideError):
    """A public profile change that cannot be made; ``message`` says why and what to do."""

    code = "public-profile-refused"

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def may_have_public_profile(user: User) -> bool:
    """Whether ``user`` may have a public profile: an active care-team member (coordinator,
    clinician, surgeon), never a guardian, analyst or administrator."""
    return bool(user.is_active and user.role and Role(user.role) in CARE_TEAM_ROLES)


def _check_user(user: User) -> None:
    if not may_have_public_profile(user):
        raise PublicProfileRefused(_("Only coordinators, clinicians and surgeons can have a "
                                     "public profile on the team page."))


def _clean_text(value: str, *, limit: int, field: str, required: bool, label: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise PublicProfileRefused(
            _("Write your %(what)s: the team page shows it.") % {"what": label}, field=field)
    if len(text) > limit:
        raise PublicProfileRefused(
            _("Your %(what)s is %(length)s characters long; shorten it to at most "
              "%(limit)s.") % {"what": label, "length": len(text), "limit": limit},
            field=field)
    return text


@transaction.atomic
def save_public_profile(*, by: User, display_name: str, role_title: str,
                        biographies: Mapping[str, str],
                        role_titles: Mapping[str, str] | None = None,
                        photo: tuple[bytes, str] | None = None,
                        remove_photo: bool = False) -> StaffProfile:
    """Create or change ``by``'s own public profile and return it.

    ``biographies`` and ``role_titles`` map a site language code to the text in it (the
    role in that language; without one the page shows ``role_title``); a language with
    neither is removed. ``photo`` is an already checked image (bytes without metadata,
    content type). Saving does not change the consent: a profile without consent stays
    off the public page.
    """
    _check_user(by)
    name = _clean_text(display_name, limit=NAME_MAX, field="display_name", required=True,
                       label=_("name"))
    title = _clean_text(role_title, limit=ROLE_TITLE_MAX, field="role_title", required=True,
                        label=_("role"))
    languages = {code for code, _name in settings.LANGUAGES}
    titles_by_language = role_titles or {}
    unknown = sorted((set(biographies) | set(titles_by_language)) - languages)
    if unknown:
        raise PublicProfileRefused(_("A biography was sent in a language the site does not "
                                     "have; write it in one of the site's languages."))
    texts = {code: _clean_text(biographies.get(code, ""), limit=BIOGRAPHY_MAX,
                               field=f"biography_{code}", required=False,
                               label=_("biography"))
             for code in languages}
    titles = {code: _clean_text(titles_by_language.get(code, ""), limit=ROLE_TITLE_MAX,
                                field=f"role_title_{code}", required=False, label=_("role"))
              for code in languages}
    profile, created = StaffProfile.objects.select_for_update().get_or_create(
        user=by, defaults={"display_name": name, "role_title": title})
    profile.display_name, profile.role_title = name, title
    if remove_photo:
        profile.photo, profile.photo_content_type = b"", ""
    elif photo is not None:
        profile.photo, profile.photo_content_type = photo
    profile.save()
    for code in sorted(languages):
        if texts[code] or titles[code]:
            StaffBiography.objects.update_or_create(
                profile=profile, language=code,
                defaults={"text": texts[code], "role_title": titles[code]})
        else:
            StaffBiography.objects.filter(profile=profile, language=code).delete()
    record(actor=by, action=Action.CREATE if created else Action.UPDATE,
           object_type=ObjectType.PUBLIC_PROFILE, object_id=profile.pk)
    return profile


@transaction.atomic
def give_public_profile_consent(*, by: User) -> StaffProfile:
    """Record ``by``'s consent to show their saved profile on the team page (the current
    consent text's version is stored with it) and return the profile."""
    _check_user(by)
    profile = StaffProfile.objects.select_for_update().filter(user=by).first()
    if profile is None or not profile.display_name.strip() or not profile.role_title.strip():
        raise PublicProfileRefused(_("Save your name and role first; then agree to show "
                                     "them."))
    if profile.is_public:
        raise PublicProfileRefused(_("Your profile is already shown on the team page; "
                                     "nothing was changed."))
    profile.consent_text_version = PUBLIC_PROFILE_CONSENT_VERSION
    profile.consented_at = timezone.now()
    profile.consent_withdrawn_at = None
    profile.save(update_fields=["consent_text_version", "consented_at",
                                "consent_withdrawn_at", "updated_at"])
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.PUBLIC_PROFILE,
           object_id=f"{profile.pk} consent-given {PUBLIC_PROFILE_CONSENT_VERSION}")
    return profile


@transaction.atomic
def withdraw_public_profile_consent(*, by: User) -> StaffProfile:
    """Withdraw ``by``'s consent: the profile leaves the team page at once (the page reads
    it afresh on every request). The profile's text stays for a later consent."""
    profile = StaffProfile.objects.select_for_update().filter(user=by).first()
    if profile is None or not profile.is_public:
        raise PublicProfileRefused(_("Your profile is not shown on the team page; there is "
                                     "nothing to withdraw."))
    profile.consent_withdrawn_at = timezone.now()
    profile.save(update_fields=["consent_withdrawn_at", "updated_at"])
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.PUBLIC_PROFILE,
           object_id=f"{profile.pk} consent-withdrawn {profile.consent_text_version}")
    return profile


def consent_text(version: str) -> str:
    """The words of a public-profile consent version, in the current language."""
    return str(PUBLIC_PROFILE_CONSENT_TEXTS.get(version, ""))
