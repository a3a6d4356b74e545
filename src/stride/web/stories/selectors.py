"""Reads of the stories app: a story's texts and parts, its de-identification problems, the
hash its approval is bound to, the public list, and the child's measured outcome.

Callers have reached the story through :mod:`stride.web.stories.access` (staff, family) or
read only published stories (the public pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from stride.core.consents import REQUIRED_CONSENTS, DataUse
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.sets import DEFAULT_REFERENCE
from stride.core.registry.child_outcomes import WindowScores, WindowStatus, window_results
from stride.core.scales.common import Level
from stride.core.stories import (
    ChecklistItem,
    PersonName,
    StoryProblem,
    content_hash,
    publication_problems,
)
from stride.web.patients.models import Consent, Guardian, Patient
from stride.web.registry.models import OutcomeWindow
from stride.web.stories.models import ReviewKind, StatusChoices, Story, StoryReview, StoryText
from stride.web.treatment.models import Episode, EpisodeKindChoices

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def texts_of(story: Story) -> dict[str, StoryText]:
    """The story's texts by language code, in the site's language order."""
    found = {text.language: text for text in story.texts.all()}
    return {code: found[code] for code in LANGUAGE_CODES if code in found}


def story_parts(story: Story) -> dict[str, str]:
    """Every text of the story a reader sees, by part name (``pseudonym``, ``title:en``,
    ``body:en``, ``alt:<media id>``): what the de-identification check reads."""
    parts = {"pseudonym": story.pseudonym}
    for code, text in texts_of(story).items():
        parts[f"title:{code}"] = text.title
        parts[f"body:{code}"] = text.body
    for media in story.media.all():
        parts[f"alt:{media.pk}"] = media.alt_text
    return parts


def people_names(patient: Patient | int) -> list[PersonName]:
    """The given and family names of the child and each guardian."""
    patient_id = patient if isinstance(patient, int) else patient.pk
    child = Patient.objects.get(pk=patient_id)
    names = [PersonName(child.given_name, child.family_name)]
    names += [PersonName(g.given_name, g.family_name)
              for g in Guardian.objects.filter(patient_id=patient_id).order_by("id")]
    return names


def current_hash(story: Story) -> str:
    """The hash of the story as it is now (:func:`stride.core.stories.content_hash`)."""
    return content_hash(
        pseudonym=story.pseudonym, country=story.country,
        texts={code: (t.title, t.body) for code, t in texts_of(story).items()},
        media=[{"source": m.source_id, "crop": m.crop, "blur": m.blur, "alt": m.alt_text,
                "no_face": m.no_face_visible} for m in story.media.all()])


def latest_review(story: Story, *kinds: ReviewKind) -> StoryReview | None:
    """The newest review of one of ``kinds``, or ``None``."""
    return story.reviews.filter(kind__in=[k.value for k in kinds]).order_by("-at", "-id").first()


def ticked_items(story: Story, content: str | None = None) -> list[str]:
    """The checklist items ticked for the story's current content (none after an edit)."""
    review = latest_review(story, ReviewKind.CHECKLIST)
    if review is None or review.content_hash != (content or current_hash(story)):
        return []
    return [str(item) for item in review.items]


def problems_of(story: Story, ticked: list[str] | None = None) -> tuple[StoryProblem, ...]:
    """What stops the story: names or dates in its texts, unticked boxes, no text.

    ``ticked`` overrides the stored ticks (the boxes just sent with a form)."""
    return publication_problems(
        story_parts(story), people_names(story.case.patient_id),
        ticked_items(story) if ticked is None else ticked, list(texts_of(story)))


def text_problems(story: Story) -> tuple[StoryProblem, ...]:
    """The problems found in the story's texts only (what the checklist cannot tick away)."""
    return tuple(p for p in problems_of(story, ticked=[c.value for c in ChecklistItem])
                 if p.part != "texts")


def reviews_of(story: Story) -> QuerySet[StoryReview]:
    """The story's review history, oldest first, with who did each step."""
    return story.reviews.select_related("by", "guardian").order_by("at", "id")


def stories_of_case(case_id: int) -> QuerySet[Story]:
    """Every story of the case, newest first (the caller has read the case)."""
    return Story.objects.filter(case_id=case_id).prefetch_related("texts")


def family_stories(case_id: int) -> QuerySet[Story]:
    """The case's stories the family may read: every one past the coordinator's draft."""
    return stories_of_case(case_id).exclude(status=StatusChoices.DRAFT)


def published_stories() -> QuerySet[Story]:
    """Published stories, newest first, with their texts."""
    return (Story.objects.filter(status=StatusChoices.PUBLISHED)
            .select_related("case").prefetch_related("texts", "media")
            .order_by("-published_at", "-id"))


def consented_stories(use: DataUse) -> QuerySet[Story]:
    """Published stories whose child has every consent ``use`` needs in force, newest first.

    The public list and the sitemap read this in one query (plus the prefetches) instead of
    asking :func:`stride.web.patients.services.require_consents` once per story. "In force"
    is that rule's own: a consent row of the kind that is not withdrawn
    (:func:`stride.web.patients.selectors.consents_in_force`).
    """
    stories = published_stories()
    for kind in REQUIRED_CONSENTS[use]:
        stories = stories.filter(Exists(Consent.objects.filter(
            patient_id=OuterRef("case__patient_id"), kind=kind.value,
            withdrawn_at__isnull=True)))
    return stories


def published_story(slug: str) -> Story | None:
    """The published story at ``slug``, or ``None`` (missing, or no longer published)."""
    return published_stories().filter(slug=slug).first()


def text_for(story: Story, language: str) -> tuple[StoryText | None, bool]:
    """The story's text in ``language`` or, if there is none, the first available (and
    ``True``: it is in another language)."""
    texts = texts_of(story)
    if language in texts:
        return texts[language], False
    first = next(iter(texts.values()), None)
    return first, first is not None


@dataclass(frozen=True, slots=True)
class StoryOutcome:
    """The child's measured outcome as the story shows it: one registry window.

    Scores and changes are GMFM-66 points; ``expected_change``/``excess`` are ``None``
    when the window cannot be compared with the reference curve (``status`` says why).
    ``threshold`` is the measurement error the excess was judged against (points).
    """

    treatment: str
    horizon_months: int
    #: The GMFCS level at baseline as its roman numeral ("II"), "" when none.
    gmfcs: str
    baseline_age_years: float
    baseline_score: float
    follow_up_score: float
    observed_change: float
    expected_change: float | None
    excess: float | None
    threshold: float | None
    verdict: str
    status: str
    reference: str

    @property
    def baseline_age_whole_years(self) -> int:
        """The age at baseline rounded to whole years (the page says "about")."""
        return round(self.baseline_age_years)

    @property
    def observed_sign(self) -> str:
        """"+" before a gain (a loss carries its own minus)."""
        return "+" if self.observed_change > 0 else ""

    @property
    def expected_sign(self) -> str:
        """"+" before an expected gain."""
        return "+" if (self.expected_change or 0) > 0 else ""

    @property
    def excess_sign(self) -> str:
        """"+" before a positive difference from the expected change."""
        return "+" if (self.excess or 0) > 0 else ""


def _scores(window: OutcomeWindow) -> WindowScores:
    return WindowScores(
        horizon_months=window.horizon_months, gmfcs=window.gmfcs,
        baseline_age_years=window.baseline_age_years, baseline_score=window.baseline_score,
        baseline_ci_half_width=window.baseline_ci_half_width,
        follow_up_age_years=window.follow_up_age_years, follow_up_score=window.follow_up_score,
        follow_up_ci_half_width=window.follow_up_ci_half_width)


def story_outcome(patient_id: int) -> StoryOutcome | None:
    """The child's measured outcome from the registry, or ``None`` when it has none yet.

    The same windows and arithmetic as the child outcome page
    (:func:`stride.web.outcomes.selectors.child.child_outcome_page`, core's
    :func:`~stride.core.registry.child_outcomes.window_results` against the default
    reference curves): of the windows of treatments still standing, the one of the latest
    treatment with the longest follow-up; a window compared with the curve wins over one
    with only an observed change. Windows without both scores are never shown.
    """
    today = timezone.localdate()
    standing = set(Episode.objects.usable(today).filter(case__patient_id=patient_id)
                   .values_list("pk", flat=True))
    windows = [w for w in OutcomeWindow.objects.filter(child__patient_id=patient_id)
               .order_by("anchor_age_years", "horizon_months")
               if w.episode_id is None or w.episode_id in standing]
    if not windows:
        return None
    reference = get_reference(DEFAULT_REFERENCE)
    results = window_results([_scores(w) for w in windows], reference)
    candidates = [(w, r) for w, r in zip(windows, results, strict=True)
                  if r.observed_change is not None]
    if not candidates:
        return None
    window, result = max(candidates, key=lambda pair: (
        pair[1].status is WindowStatus.COMPARED, pair[0].episode_id is not None,
        pair[0].anchor_age_years, pair[0].horizon_months))
    kind = window.anchor_kind
    label = (str(EpisodeKindChoices(kind).label) if kind in EpisodeKindChoices.values
             else "")
    # Inside a sentence: "after selective dorsal rhizotomy".
    label = label[:1].lower() + label[1:]
    outcome = result.outcome
    assert result.observed_change is not None  # noqa: S101 - filtered above
    assert window.baseline_score is not None  # noqa: S101
    assert window.follow_up_score is not None  # noqa: S101
    return StoryOutcome(
        treatment=label if window.episode_id is not None else "",
        horizon_months=window.horizon_months,
        gmfcs=Level(window.gmfcs).name if window.gmfcs in (1, 2, 3, 4, 5) else "",
        baseline_age_years=float(window.baseline_age_years or 0.0),
        baseline_score=float(window.baseline_score),
        follow_up_score=float(window.follow_up_score),
        observed_change=float(result.observed_change),
        expected_change=None if outcome is None else float(outcome.expected_change),
        excess=None if outcome is None else float(outcome.excess),
        threshold=None if outcome is None or outcome.threshold_points is None
        else float(outcome.threshold_points),
        verdict="" if outcome is None else str(outcome.verdict),
        status=str(result.status),
        reference=reference.citation.short)


def family_approval_stands(story: Story) -> bool:
    """Whether the newest family approval is for the story as it is now."""
    review = latest_review(story, ReviewKind.FAMILY_APPROVED)
    return review is not None and review.content_hash == current_hash(story)


def clinician_check_stands(story: Story) -> bool:
    """Whether the newest clinician check is for the story as it is now."""
    review = latest_review(story, ReviewKind.CLINICIAN_AGREED)
    return review is not None and review.content_hash == current_hash(story)
