"""The programme's public pages (anonymous, read only) and a staff member's own public
profile page.

The public pages read the programme's profile and content afresh on each request (the
platform sends every page ``no-store``), so a change in the admin or a withdrawn consent
shows at the next load. A page without content says so calmly; none answers 500 for a
missing profile.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from stride.web.accounts.models import User
from stride.web.platform.profile import programme_profile
from stride.web.platform.uploads import oversized_fields
from stride.web.site import selectors, services
from stride.web.site.forms import PublicProfileForm
from stride.web.site.models import PUBLIC_PROFILE_CONSENT_VERSION


def _languages() -> tuple[str, str]:
    """The reader's language and the programme's (the fallback for untranslated texts)."""
    return get_language() or "en", selectors.programme_language(programme_profile())


def contact(request: HttpRequest) -> HttpResponse:
    """Telephone, WhatsApp, e-mail and address with a map link, from the profile."""
    return render(request, "site/contact.html",
                  {"contact": selectors.contact(programme_profile())})


def team(request: HttpRequest) -> HttpResponse:
    """Staff who consented to a public profile (withdrawn consent: gone at once)."""
    language, fallback = _languages()
    return render(request, "site/team.html", {"members": selectors.team(language, fallback)})


def faq(request: HttpRequest) -> HttpResponse:
    """Frequently asked questions, in the reader's language where written."""
    language, fallback = _languages()
    return render(request, "site/faq.html", {
        "questions": selectors.questions(language, fallback),
        "synthetic": selectors.any_synthetic_questions()})


def costs(request: HttpRequest) -> HttpResponse:
    """What a stay costs: the programme's ranges, per treatment, with their date."""
    language, fallback = _languages()
    groups = selectors.costs(language, fallback)
    return render(request, "site/costs.html", {
        "groups": groups,
        "synthetic": any(shown.is_synthetic for group in groups for shown in group.ranges)})


def travel(request: HttpRequest) -> HttpResponse:
    """Visas, accommodation, interpreters and getting there."""
    language, fallback = _languages()
    sections = selectors.travel_help(language, fallback)
    return render(request, "site/travel.html", {
        "sections": sections, "synthetic": any(section.is_synthetic for section in sections)})


@never_cache
@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """A coordinator's, clinician's or surgeon's own public profile: write it, agree to
    show it, withdraw. Anyone else gets the plain 404 (they have no public profile)."""
    user = request.user
    if not isinstance(user, User) or not services.may_have_public_profile(user):
        raise Http404
    profile = selectors.own_profile(user)
    form = PublicProfileForm(initial=PublicProfileForm.initial_for(profile))
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "consent":
                services.give_public_profile_consent(by=user)
                messages.success(request, _("Your profile is now shown on the team page."))
                return HttpResponseRedirect(reverse("site:my-profile"))
            if action == "withdraw":
                services.withdraw_public_profile_consent(by=user)
                messages.success(request, _("Your profile was removed from the team page."))
                return HttpResponseRedirect(reverse("site:my-profile"))
            form = PublicProfileForm(request.POST, request.FILES)
            valid = form.is_valid()
            if "photo" in oversized_fields(request):
                # The upload handler dropped the file unread: say so, never save without it.
                form.add_error("photo", _("The photo is larger than 1 MB. Save it smaller "
                                          "and try again."))
                valid = False
            if valid:
                services.save_public_profile(
                    by=user, display_name=form.cleaned_data["display_name"],
                    role_title=form.cleaned_data["role_title"],
                    biographies=form.biographies(), role_titles=form.role_titles(),
                    photo=form.cleaned_data.get("photo"),
                    remove_photo=form.cleaned_data.get("remove_photo", False))
                messages.success(request, _("Your public profile was saved."))
                return HttpResponseRedirect(reverse("site:my-profile"))
        except services.PublicProfileRefused as refused:
            if refused.field and refused.field in form.fields and form.is_bound:
                form.add_error(refused.field, refused.message)
            else:
                messages.error(request, refused.message)
                if action in {"consent", "withdraw"}:
                    return HttpResponseRedirect(reverse("site:my-profile"))
    return render(request, "site/my_profile.html", {
        "form": form, "profile": profile,
        "consent_text": services.consent_text(
            profile.consent_text_version if profile is not None and profile.is_public
            else PUBLIC_PROFILE_CONSENT_VERSION)})
