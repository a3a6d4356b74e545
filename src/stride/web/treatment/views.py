"""The care team's treatment pages: the case's episodes, one form per kind, adverse events,
and the marking of an episode entered in error.

Each view fetches the case only through ``access_case_as_staff`` (guardians, other teams,
analysts and administrators get the same audited 404), calls one service and renders.
Every problem core finds is shown next to its field, translated, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from stride.core.corrections import CorrectionRefused
from stride.core.pathway import Programme
from stride.core.treatment.episodes import EpisodeKind
from stride.core.treatment.problems import EpisodeRefused, Problem
from stride.core.treatment.stages import PROGRAMME_STAGES_V1, recording_problems
from stride.web.ionm.access import rootlet_sessions_of_case
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.patients.models import Case
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.messages import problem_message
from stride.web.treatment import selectors, services
from stride.web.treatment.access import access_episode
from stride.web.treatment.forms import (
    EPISODE_FORMS,
    AdverseEventForm,
    EnteredInErrorForm,
    EpisodeForm,
)
from stride.web.treatment.models import EpisodeKindChoices

SERVICES: dict[str, Any] = {
    "sdr": services.record_sdr,
    "cell-therapy-course": services.record_cell_therapy_course,
    "rehabilitation-block": services.record_rehabilitation,
    "botulinum-toxin": services.record_botulinum_toxin,
    "orthopaedic-surgery": services.record_orthopaedic_surgery,
    "admission": services.record_admission,
}



def _kinds_for(case: Case) -> list[tuple[str, str]]:
    """Return the kinds offered on ``case``'s page: its programme's treatment first; the
    investigational course only in the cell-therapy programme (where it is the treatment)."""
    programme = Programme(case.programme)
    kinds = [(code, str(label)) for code, label in EpisodeKindChoices.choices
             if code != EpisodeKind.CELL_THERAPY.value or programme is Programme.CELL_THERAPY]
    return sorted(kinds, key=lambda kind: not PROGRAMME_STAGES_V1.is_treatment(
        programme, EpisodeKind(kind[0])))


def _stage_problems(case: Case) -> list[Problem]:
    """Return why the programme's treatment cannot be recorded on ``case`` now (``[]``)."""
    programme = Programme(case.programme)
    return [problem for kind in sorted(PROGRAMME_STAGES_V1.treatment_kinds.get(programme, ()))
            for problem in recording_problems(programme=programme, kind=kind,
                                              current=case.stage_enum)]


def _show_problems(form: EpisodeForm, refused: EpisodeRefused) -> None:
    for problem in refused.problems:
        form.add_error(form.field_for(problem.field), problem_message(problem))


def _messages(problems: tuple[Problem, ...]) -> list[str]:
    return [problem_message(problem) for problem in problems]


@login_required
@require_safe
def episodes(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's episodes and their adverse events, with links to record more.

    An episode entered in error is shown struck through with its reason; one whose stored
    dates cannot be true (stored before dates were checked) is flagged, with the way to
    correct it.
    """
    case = access_case_as_staff(request.user, case_id)
    rows = selectors.episode_rows(case, today=timezone.localdate())
    return render(request, "treatment/episodes.html", {
        "case": case,
        "rows": [(row, _messages(row.date_problems),
                  [(event, _messages(event.date_problems)) for event in row.adverse_events])
                 for row in rows],
        "kinds": _kinds_for(case),
        # Why the programme's treatment cannot be recorded yet (the case is not scheduled,
        # or is over): said before the surgeon fills the form.
        "stage_notes": _messages(tuple(_stage_problems(case))),
        # The case's operating-room sessions (the case read above covers them).
        "rootlet_sessions": rootlet_sessions_of_case(signed_in(request), case),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_episode(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    """Form for one episode kind; a valid POST stores it and returns to the episodes."""
    form_class = EPISODE_FORMS.get(kind)
    if form_class is None:
        # No such page: answered before the case is read, so no "case ok" precedes a 404.
        raise Http404(NOT_FOUND_MESSAGE)
    case = access_case_as_staff(request.user, case_id, write=request.method == "POST")
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
@require_http_methods(["GET", "HEAD", "POST"])
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


def _show_correction_problems(form: Form, refused: CorrectionRefused) -> None:
    for problem in refused.problems:
        form.add_error(problem.field if problem.field in form.fields else None,
                       problem_message(problem))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entered_in_error(request: HttpRequest, case_id: int, episode_id: int) -> HttpResponse:
    """Confirm, with a written reason, that an episode was entered in error.

    The episode is never changed or deleted: it stays struck through with the reason, and
    the outcomes, follow-up visits and exports leave it out.
    """
    posting = request.method == "POST"
    episode = access_episode(request.user, case_id, episode_id, write=posting)
    form = EnteredInErrorForm(request.POST or None)
    if posting and form.is_valid():
        try:
            services.mark_episode_entered_in_error(by=signed_in(request), episode=episode,
                                                   reason=form.cleaned_data["reason"])
        except CorrectionRefused as refused:
            _show_correction_problems(form, refused)
        else:
            messages.success(request, _(
                "The episode is marked entered in error. It stays on record, struck through "
                "with your reason; the outcomes and follow-up visits no longer count it."))
            return redirect("treatment:episodes", case_id=episode.case_id)
    return render(request, "treatment/entered_in_error.html", {
        "case": episode.case, "episode": episode, "form": form,
        "correction": episode.correction,
    }, status=400 if posting else 200)
