"""The care team's treatment pages: the case's episodes, one form per kind, adverse events.

Each view fetches the case only through ``access_case_as_staff`` (guardians, other teams,
analysts and administrators get the same audited 404), calls one service and renders.
Every problem core finds is shown next to its field, translated, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from stride.core.treatment.problems import EpisodeRefused
from stride.web.ionm.access import rootlet_sessions_of_case
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.messages import problem_message
from stride.web.treatment import selectors, services
from stride.web.treatment.access import access_episode
from stride.web.treatment.forms import EPISODE_FORMS, AdverseEventForm, EpisodeForm
from stride.web.treatment.models import EpisodeKindChoices

SERVICES: dict[str, Any] = {
    "sdr": services.record_sdr,
    "cell-therapy-course": services.record_cell_therapy_course,
    "rehabilitation-block": services.record_rehabilitation,
    "botulinum-toxin": services.record_botulinum_toxin,
    "orthopaedic-surgery": services.record_orthopaedic_surgery,
    "admission": services.record_admission,
}



def _show_problems(form: EpisodeForm, refused: EpisodeRefused) -> None:
    for problem in refused.problems:
        form.add_error(form.field_for(problem.field), problem_message(problem))


@login_required
@require_http_methods(["GET"])
def episodes(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's episodes and their adverse events, with links to record more."""
    case = access_case_as_staff(request.user, case_id)
    return render(request, "treatment/episodes.html", {
        "case": case, "episodes": selectors.episodes_of(case),
        "kinds": EpisodeKindChoices.choices,
        # The case's operating-room sessions (the case read above covers them).
        "rootlet_sessions": rootlet_sessions_of_case(signed_in(request), case),
    })


@login_required
@require_http_methods(["GET", "POST"])
def record_episode(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Form for one episode kind; a valid POST stores it and returns to the episodes."""
    case = access_case_as_staff(request.user, case_id, write=request.method == "POST")
    form_class = EPISODE_FORMS.get(kind)
    if form_class is None:
        raise Http404(NOT_FOUND_MESSAGE)
    form = form_class(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[kind](by=signed_in(request), case=case, **form.service_kwargs())
        except EpisodeRefused as refused:
            _show_problems(form, refused)
        else:
            return redirect("treatment:episodes", case_id=case.pk)
    return render(request, "treatment/episode_form.html", {
        "case": case, "form": form, "kind": kind,
        "label": dict(EpisodeKindChoices.choices)[kind],
        "investigational": kind == "cell-therapy-course",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def adverse_event(request: HttpRequest, case_id: int, episode_id: int) -> HttpResponse:
    """Form for an adverse event of one episode of the case."""
    episode = access_episode(request.user, case_id, episode_id,
                             write=request.method == "POST")
    case = episode.case
    form = AdverseEventForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_adverse_event(by=signed_in(request), episode=episode,
                                          **form.service_kwargs())
        except EpisodeRefused as refused:
            _show_problems(form, refused)
        else:
            return redirect("treatment:episodes", case_id=case.pk)
    return render(request, "treatment/adverse_event.html", {
        "case": case, "episode": episode, "form": form,
    }, status=400 if request.method == "POST" else 200)
