"""Pages of family stories: the care team's workspace, the family's page in the portal
(routed there as ``portal:story``), the public list and story, and the sitemap.

Staff and family pages reach a story through :mod:`stride.web.stories.access` (another
case's story is the audited 404); the public pages read only published stories whose
consents are in force, and a story no longer published answers 404 with a plain sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from stride.core.consents import DataUse
from stride.core.errors import StrideError
from stride.core.stories import ProblemCode, StoryProblem
from stride.web.accounts.models import User
from stride.web.documents.models import Document
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.platform.http import stored_file_response
from stride.web.platform.messages import user_message
from stride.web.stories import selectors, services
from stride.web.stories.access import (
    StoryGone,
    access_story,
    access_story_media,
    consents_allow,
    guardian_of,
    media_key,
    public_media,
    public_story,
)
from stride.web.stories.forms import (
    CHECKLIST_LABELS,
    ChecklistForm,
    FamilyAnswerForm,
    NoteForm,
    StoryDetailsForm,
    StoryMediaForm,
    StoryTextForm,
)
from stride.web.stories.models import Story, WithdrawnHow
from stride.web.stories.services import PHOTO_TYPES, VIDEO_TYPES, StoryRefused


def problem_words(problem: StoryProblem) -> str:
    """One de-identification problem in words, saying where it is and what to do."""
    part = problem.part
    if part.startswith(("title:", "body:")):
        what, code = part.split(":", 1)
        where = (_("the title in %(language)s") if what == "title"
                 else _("the story in %(language)s")) % {
            "language": translation.get_language_info(code)["name_translated"]}
    elif part.startswith("alt:"):
        where = _("a picture's description")
    elif part == "pseudonym":
        where = _("the name shown")
    else:
        where = ""
    if problem.code is ProblemCode.GIVEN_NAME:
        return _("A given name of the child or a guardian (“%(found)s”) is in %(where)s: "
                 "use the name shown instead.") % {"found": problem.found, "where": where}
    if problem.code is ProblemCode.FAMILY_NAME:
        return _("A family name (“%(found)s”) is in %(where)s: take it out.") % {
            "found": problem.found, "where": where}
    if problem.code is ProblemCode.EXACT_DATE:
        return _("An exact date (“%(found)s”) is in %(where)s: write the year or the season "
                 "instead.") % {"found": problem.found, "where": where}
    if problem.code is ProblemCode.UNTICKED:
        return _("Tick this box after checking: %(item)s") % {
            "item": CHECKLIST_LABELS.get(problem.found, problem.found)}
    return _("Write the story in at least one language.")


def _refused(request: HttpRequest, error: StrideError) -> None:
    messages.error(request, user_message(error))
    if isinstance(error, StoryRefused):
        for problem in error.problems:
            messages.error(request, problem_words(problem))


def _candidate_media(story: Story) -> Any:
    return Document.objects.filter(
        patient_id=story.case.patient_id,
        content_type__in=[*PHOTO_TYPES, *VIDEO_TYPES]).exclude(kind="mri-image")


def _workspace_url(story: Story) -> str:
    return reverse("stories:workspace", args=[story.case_id, story.pk])


# --- The care team -----------------------------------------------------------------------


@login_required
def new_story(request: HttpRequest, case_id: int) -> HttpResponse:
    """Draft a new story of the case: the name shown and the country."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=request.method == "POST")
    form = StoryDetailsForm(request.POST or None,
                            initial={"country": case.patient.country})
    if request.method == "POST" and form.is_valid():
        try:
            story = services.create_story(by=user, case=case,
                                          pseudonym=form.cleaned_data["pseudonym"],
                                          country=form.cleaned_data["country"])
        except StrideError as error:
            _refused(request, error)
        else:
            return redirect(_workspace_url(story))
    return render(request, "stories/new.html", {"case": case, "form": form},
                  status=400 if form.errors else 200)


def _workspace(request: HttpRequest, user: User, story: Story, *, status: int = 200,
               **forms: Any) -> HttpResponse:
    texts = selectors.texts_of(story)
    language = request.GET.get("language", "")
    editing = texts.get(language)
    return render(request, "stories/workspace.html", {
        "story": story, "case": story.case, "texts": texts,
        "media": list(story.media.all()),
        "problems": [problem_words(p) for p in selectors.text_problems(story)],
        "reviews": selectors.reviews_of(story),
        "outcome": selectors.story_outcome(story.case.patient_id),
        "details_form": forms.get("details_form") or StoryDetailsForm(
            initial={"pseudonym": story.pseudonym, "country": story.country}),
        "text_form": forms.get("text_form") or StoryTextForm(initial={
            "language": language or translation.get_language(),
            "title": editing.title if editing else "", "body": editing.body if editing else ""}),
        "media_form": forms.get("media_form") or StoryMediaForm(
            documents=_candidate_media(story)),
        "checklist_form": ChecklistForm(initial={"items": selectors.ticked_items(story)}),
        "note_form": NoteForm(),
        "content": selectors.current_hash(story),
        "is_clinician": user.role in ("clinician", "surgeon"),
        "is_coordinator": user.role == "coordinator",
        "story_consent": consents_allow(story, DataUse.PUBLIC_STORY),
        "media_consent": consents_allow(story, DataUse.STORY_MEDIA),
    }, status=status)


@login_required
@require_safe
def workspace(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """The care team's page of one story: details, texts, pictures, checklist, reviews,
    and the step each role may take."""
    user = signed_in(request)
    story = access_story(user, case_id, story_id)
    return _workspace(request, user, story)


def _staff_post(request: HttpRequest, case_id: int, story_id: int,
                act: Callable[[User, Story], object], done: str) -> HttpResponse:
    user = signed_in(request)
    story = access_story(user, case_id, story_id, write=True)
    try:
        answer = act(user, story)
    except StrideError as error:
        _refused(request, error)
        return redirect(_workspace_url(story))
    if isinstance(answer, HttpResponse):
        return answer
    messages.success(request, done)
    return redirect(_workspace_url(story))


@login_required
@require_POST
def save_details(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """Change the name shown and the country."""
    form = StoryDetailsForm(request.POST)

    def act(user: User, story: Story) -> HttpResponse | None:
        if not form.is_valid():
            return _workspace(request, user, story, status=400, details_form=form)
        services.update_details(by=user, story=story, pseudonym=form.cleaned_data["pseudonym"],
                                country=form.cleaned_data["country"])
        return None

    return _staff_post(request, case_id, story_id, act, _("The details were saved."))


@login_required
@require_POST
def save_text(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """Write (or replace) the story in one language; ``remove`` takes that language out."""
    form = StoryTextForm(request.POST)

    def act(user: User, story: Story) -> HttpResponse | None:
        if "remove" in request.POST and request.POST.get("language"):
            services.remove_text(by=user, story=story, language=request.POST["language"])
            return None
        if not form.is_valid():
            return _workspace(request, user, story, status=400, text_form=form)
        services.save_text(by=user, story=story, language=form.cleaned_data["language"],
                           title=form.cleaned_data["title"], body=form.cleaned_data["body"])
        return None

    return _staff_post(request, case_id, story_id, act, _("The text was saved."))


@login_required
@require_POST
def add_media(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """Add a photo (cropped, blurred) or a video the family sent."""

    def act(user: User, story: Story) -> HttpResponse | None:
        form = StoryMediaForm(request.POST, documents=_candidate_media(story))
        if not form.is_valid():
            return _workspace(request, user, story, status=400, media_form=form)
        services.add_media(by=user, story=story, document=form.cleaned_data["document"],
                           alt_text=form.cleaned_data["alt_text"],
                           crop=form.cleaned_data["crop"], blur=form.cleaned_data["blur"],
                           no_face_visible=form.cleaned_data["no_face_visible"])
        return None

    return _staff_post(request, case_id, story_id, act, _("The picture was added."))


@login_required
@require_POST
def remove_media(request: HttpRequest, case_id: int, story_id: int,
                 media_id: int) -> HttpResponse:
    """Take a picture or video out of the story."""

    def act(user: User, story: Story) -> HttpResponse | None:
        media = story.media.filter(pk=media_id).first()
        if media is None:
            raise Http404
        services.remove_media(by=user, story=story, media=media)
        return None

    return _staff_post(request, case_id, story_id, act, _("The picture was taken out."))


@login_required
@require_POST
def send_to_family(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """Record the checklist and send the story to the family for approval."""
    form = ChecklistForm(request.POST)
    ticked = form.cleaned_data["items"] if form.is_valid() else []
    return _staff_post(
        request, case_id, story_id,
        lambda user, story: services.send_to_family(by=user, story=story, ticked=ticked),
        _("The story was sent to the family for their approval."))


@login_required
@require_POST
def clinician_check(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """A clinician agrees with the medical statements (``agree``) or sends the story back
    (``back``); any other answer changes nothing."""
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    answer = request.POST.get("answer", "")
    agree = answer == "agree"

    def act(user: User, story: Story) -> HttpResponse | None:
        if answer not in ("agree", "back"):
            # Neither button (a forged or broken form): change nothing, say what to do.
            messages.error(request, _("Choose “The medical statements are right” or “Send "
                                      "back with my note”."))
            return redirect(_workspace_url(story))
        if agree:
            services.clinician_agree(by=user, story=story, note=note,
                                     content=request.POST.get("content", ""))
        else:
            services.clinician_send_back(by=user, story=story, note=note)
        return None

    return _staff_post(request, case_id, story_id, act,
                       _("Your check was recorded.") if agree
                       else _("The story was sent back to the draft with your note."))


@login_required
@require_POST
def publish(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """Publish the story in the languages it has."""
    return _staff_post(request, case_id, story_id,
                       lambda user, story: services.publish(by=user, story=story),
                       _("The story is published."))


@login_required
@require_POST
def withdraw(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """The programme withdraws the story (it leaves the site at once)."""
    return _staff_post(
        request, case_id, story_id,
        lambda user, story: services.withdraw(by=user, story=story,
                                              how=WithdrawnHow.STAFF),
        _("The story was withdrawn: it is no longer on the site."))


@login_required
@require_safe
def media_file(request: HttpRequest, case_id: int, story_id: int,
               media_id: int) -> FileResponse:
    """A story's processed picture or video, for the care team."""
    media = access_story_media(request.user, case_id, story_id, media_id)
    return stored_file_response(media.public_name, filename=media.public_name.rsplit("/")[-1],
                                content_type=media.content_type, as_attachment=False)


# --- The family, in the portal ------------------------------------------------------------


@login_required
@require_safe
def family_story(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """The story as the family reads it, in their language (or one it has), with Approve,
    Ask for changes and Withdraw."""
    user = signed_in(request)
    story = access_story(user, case_id, story_id, family=True)
    texts = selectors.texts_of(story)
    asked = request.GET.get("language", "")
    language = asked if asked in texts else translation.get_language()
    text, other = selectors.text_for(story, language)
    return render(request, "stories/family.html", {
        "story": story, "case": story.case, "texts": texts, "text": text,
        "other_language": other, "media": list(story.media.exclude(public_name="")),
        "outcome": selectors.story_outcome(story.case.patient_id),
        "content": selectors.current_hash(story), "form": FamilyAnswerForm(),
    })


@login_required
@require_POST
def family_answer(request: HttpRequest, case_id: int, story_id: int) -> HttpResponse:
    """The family's answer: ``approve`` (with the language read and the content hash of
    what they read), ``changes`` (with a message) or ``withdraw``."""
    user = signed_in(request)
    story = access_story(user, case_id, story_id, write=True, family=True)
    guardian = guardian_of(user, story.case)
    answer = request.POST.get("answer", "")
    form = FamilyAnswerForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        if answer == "approve":
            services.family_approve(by=user, story=story, guardian=guardian,
                                    language=request.POST.get("language", ""),
                                    content=request.POST.get("content", ""))
            messages.success(request, _("Thank you: you approved the story. A clinician "
                                        "checks it next; nothing is published before that."))
        elif answer == "changes":
            services.family_ask_changes(by=user, story=story, guardian=guardian,
                                        message=message)
            messages.success(request, _("Your request was sent to the coordinator."))
        elif answer == "withdraw":
            services.family_withdraw(by=user, story=story, guardian=guardian)
            messages.success(request, _("The story is withdrawn and no longer on the site. "
                                        "Your consent to publish stories is withdrawn too."))
        else:
            messages.error(request, _("Choose Approve, Ask for changes or Withdraw."))
    except StrideError as error:
        _refused(request, error)
    return redirect("portal:story", case_id=story.case_id, story_id=story.pk)


@login_required
@require_safe
def family_media(request: HttpRequest, case_id: int, story_id: int,
                 media_id: int) -> FileResponse:
    """A story's processed picture or video, for the family."""
    media = access_story_media(request.user, case_id, story_id, media_id, family=True)
    return stored_file_response(media.public_name, filename=media.public_name.rsplit("/")[-1],
                                content_type=media.content_type, as_attachment=False)


# --- The public site ------------------------------------------------------------------------


@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    """Published stories, each in the reader's language or one it has."""
    language = translation.get_language()
    shown = []
    for story in selectors.consented_stories(DataUse.PUBLIC_STORY):
        text, other = selectors.text_for(story, language)
        if text is not None:
            shown.append({"story": story, "text": text, "other_language": other})
    return render(request, "stories/list.html", {"stories": shown})


@require_safe
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One published story with the child's measured outcome beside it; a story no longer
    published answers 404 with a plain sentence."""
    try:
        story = public_story(slug)
    except StoryGone:
        return render(request, "stories/gone.html", status=404)
    text, other = selectors.text_for(story, translation.get_language())
    if text is None:
        return render(request, "stories/gone.html", status=404)
    media = ([m for m in story.media.all() if m.public_name]
             if consents_allow(story, DataUse.STORY_MEDIA) else [])
    return render(request, "stories/detail.html", {
        "story": story, "text": text, "other_language": other,
        "story_languages": list(selectors.texts_of(story)),
        "media": [(m, media_key(m)) for m in media],
        "outcome": selectors.story_outcome(story.case.patient_id),
    })


@require_safe
def public_media_file(request: HttpRequest, slug: str, key: str) -> FileResponse:
    """A picture or video of a published story (while the photo consent is in force)."""
    media = public_media(slug, key)
    return stored_file_response(media.public_name, filename=media.public_name.rsplit("/")[-1],
                                content_type=media.content_type, as_attachment=False)


#: The public pages the sitemap lists, by URL name (tests/web/stories check that each
#: answers 200 to an anonymous reader).
SITEMAP_PAGES = ("home", "intake:sdr", "intake:cell-therapy", "intake:inquiry",
                 "site:contact", "site:team", "site:faq", "site:costs", "site:travel",
                 "publication:outcomes", "stories:list")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponseBase:
    """The public pages and the published stories, as a sitemap (XML)."""
    urls = [request.build_absolute_uri(reverse(name)) for name in SITEMAP_PAGES]
    urls += [request.build_absolute_uri(reverse("stories:detail", args=[story.slug]))
             for story in selectors.consented_stories(DataUse.PUBLIC_STORY)]
    return render(request, "stories/sitemap.xml", {"urls": urls},
                  content_type="application/xml; charset=utf-8")
