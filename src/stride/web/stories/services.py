"""Every write of the stories app: one transaction each, audited.

The workflow (:class:`stride.core.stories.StoryStatus`): the care team drafts a story from
a case (texts per language, photos or videos, the de-identification checklist) and sends
it to the family; the family approves it in the portal (or asks for changes); a clinician
or surgeon of the care team checks its medical statements (or sends it back); a
coordinator publishes it. An approval and a check are bound to the content hash of the
story as it was read: any edit afterwards sends the story back to the draft, to be ticked
and approved again. The family may withdraw at any time: the story leaves the public site
at once (its public page answers "no longer published", the sitemap leaves it out, its
processed pictures are deleted).

Publishing and showing ask :func:`stride.web.patients.services.require_consents` for the
story consent (and the photo-and-video consent when pictures are shown).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps

from stride.core.consents import ConsentKind, DataUse
from stride.core.errors import StrideError
from stride.core.roles import Role
from stride.core.stories import Box, ChecklistItem, StoryProblem, StoryStatus, may
from stride.web.accounts.models import User
from stride.web.documents.models import Document
from stride.web.events import StoryStepped, announce
from stride.web.patients.models import Case, Consent, Guardian
from stride.web.patients.services import require_consents, withdraw_consent
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.names import country_choices
from stride.web.platform.storage import delete_stored, open_stored, save_bytes
from stride.web.stories.models import (
    MediaKind,
    ReviewKind,
    Story,
    StoryMedia,
    StoryReview,
    StoryText,
    WithdrawnHow,
)
from stride.web.stories.selectors import (
    LANGUAGE_CODES,
    clinician_check_stands,
    current_hash,
    family_approval_stands,
    problems_of,
)


class StoryRefused(StrideError):
    """A step of a story's workflow was refused; ``problems`` lists the de-identification
    problems when they are the reason."""

    code = "story-refused"

    def __init__(self, message: str, problems: Sequence[StoryProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


#: How strongly a blur region is blurred: the Gaussian radius as a share of the region's
#: larger side (a face in the region is no longer recognisable), at least 12 pixels.
BLUR_RADIUS_SHARE = 0.25
BLUR_RADIUS_MIN_PX = 12
#: The longest side of a public picture, pixels (large enough for a page, no larger).
PUBLIC_MAX_SIDE_PX = 1600
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm", "video/x-matroska"})


def _audit(by: User | None, story: Story, action: Action = Action.UPDATE) -> None:
    record(actor=by, action=action, object_type=ObjectType.STORY, object_id=story.pk,
           patient_id=story.case.patient_id)


def _step_refused(step: str, story: Story) -> StoryRefused:
    return StoryRefused(_("This cannot be done now: the story is “%(status)s”.")
                        % {"status": story.get_status_display()})


def _require(step: str, story: Story) -> None:
    if not may(step, story.status_enum):
        raise _step_refused(step, story)


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("case").get(pk=story.pk)


def _review(story: Story, kind: ReviewKind, *, by: User | None, note: str = "",
            guardian: Guardian | None = None, language: str = "",
            items: list[str] | None = None, content: str | None = None) -> StoryReview:
    return StoryReview.objects.create(
        story=story, kind=kind.value, by=by, guardian=guardian, language=language,
        content_hash=content if content is not None else current_hash(story), note=note,
        items=items or [])


def _check_country(country: str) -> str:
    code = country.strip().upper()
    if code not in {c for c, _name in country_choices()}:
        raise StoryRefused(_("Choose the country from the list: a country is the finest "
                             "place a story may name."))
    return code


def _check_pseudonym(pseudonym: str) -> str:
    name = pseudonym.strip()
    if not name or len(name) > 40:
        raise StoryRefused(_("Write the name the story shows (an initial or a name the family "
                             "chose, at most 40 characters)."))
    return name


def _set_status(story: Story, status: StoryStatus) -> None:
    story.status = status.value
    story.updated_at = timezone.now()
    story.save(update_fields=("status", "updated_at"))


def _edited(by: User, story: Story) -> None:
    """After any change of content: an approval or check no longer stands, so a story past
    the draft goes back to it (to be ticked, approved and checked again)."""
    story.updated_at = timezone.now()
    story.approved_hash = ""
    fields = ["updated_at", "approved_hash"]
    if story.status_enum is not StoryStatus.DRAFT:
        story.status = StoryStatus.DRAFT.value
        fields.append("status")
        _review(story, ReviewKind.EDITED, by=by,
                note=_("Edited after it left the draft: it needs the family's approval and "
                       "the clinician's check again."))
    story.save(update_fields=fields)
    _audit(by, story)


@transaction.atomic
def create_story(*, by: User, case: Case, pseudonym: str, country: str) -> Story:
    """Draft a new story of ``case`` (no text yet) and return it."""
    story = Story.objects.create(case=case, pseudonym=_check_pseudonym(pseudonym),
                                 country=_check_country(country), created_by=by)
    _audit(by, story, Action.CREATE)
    return story


@transaction.atomic
def update_details(*, by: User, story: Story, pseudonym: str, country: str) -> Story:
    """Change the name shown and the country."""
    story = _lock(story)
    _require("edit", story)
    story.pseudonym = _check_pseudonym(pseudonym)
    story.country = _check_country(country)
    story.save(update_fields=("pseudonym", "country"))
    _edited(by, story)
    return story


@transaction.atomic
def save_text(*, by: User, story: Story, language: str, title: str, body: str) -> StoryText:
    """Write the story in ``language`` (replacing that language's text)."""
    story = _lock(story)
    _require("edit", story)
    if language not in LANGUAGE_CODES:
        raise StoryRefused(_("Choose one of the site's languages for this text."))
    title, body = title.strip(), body.strip()
    if not title or not body or len(title) > 200:
        raise StoryRefused(_("Write a title (at most 200 characters) and the story."))
    text, _created = StoryText.objects.update_or_create(
        story=story, language=language, defaults={"title": title, "body": body})
    _edited(by, story)
    return text


@transaction.atomic
def remove_text(*, by: User, story: Story, language: str) -> None:
    """Remove the story's text in ``language``."""
    story = _lock(story)
    _require("edit", story)
    StoryText.objects.filter(story=story, language=language).delete()
    _edited(by, story)


def _boxes(crop: Sequence[float] | None, blur: Sequence[Sequence[float]]) -> tuple[
        Box | None, list[Box]]:
    boxes = [Box(*map(float, b)) for b in blur]
    crop_box = Box(*map(float, crop)) if crop else None
    for box in [*([crop_box] if crop_box else []), *boxes]:
        if box.problems():
            raise StoryRefused(_("Each rectangle is left, top, width and height in percent of "
                                 "the picture: from 0 to 100, inside the picture."))
    return crop_box, boxes


def render_photo(source: bytes, crop: Box | None, blur: Sequence[Box]) -> bytes:
    """The public picture: turned upright, blur regions blurred strongly (in the coordinates
    of the whole picture), cropped, scaled down, re-encoded as JPEG without any metadata."""
    with Image.open(io.BytesIO(source)) as opened:
        picture = ImageOps.exif_transpose(opened).convert("RGB")
    width, height = picture.size
    for box in blur:
        left, top, right, bottom = box.pixels(width, height)
        region = picture.crop((left, top, right, bottom))
        radius = max(BLUR_RADIUS_MIN_PX, BLUR_RADIUS_SHARE * max(right - left, bottom - top))
        # Blurred twice: one Gaussian pass leaves the outline of a face readable.
        region = region.filter(ImageFilter.GaussianBlur(radius)).filter(
            ImageFilter.GaussianBlur(radius))
        picture.paste(region, (left, top))
    if crop is not None:
        picture = picture.crop(crop.pixels(width, height))
    picture.thumbnail((PUBLIC_MAX_SIDE_PX, PUBLIC_MAX_SIDE_PX))
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _fraction(value: float) -> str:
    return f"{value / 100:.4f}"


def video_filter(crop: Box | None, blur: Sequence[Box]) -> str:
    """The ffmpeg filter graph of a public video: each blur region cut out, box-blurred
    strongly (a quarter of its smaller side, three passes) and laid back in place, then the
    crop, then even dimensions (H.264 needs them). Boxes are fractions of the frame, so no
    probe of the size is needed; the output is labelled ``[out]``."""
    steps, label = [], "0:v"
    for i, box in enumerate(blur):
        left, top = _fraction(box.left), _fraction(box.top)
        steps.append(
            f"[{label}]split[main{i}][part{i}];"
            f"[part{i}]crop=iw*{_fraction(box.width)}:ih*{_fraction(box.height)}:"
            f"iw*{left}:ih*{top},"
            r"boxblur=lr='min(w\,h)/4':lp=3:cr='min(cw\,ch)/4':cp=3"
            f"[blurred{i}];[main{i}][blurred{i}]overlay=main_w*{left}:main_h*{top}[v{i}]")
        label = f"v{i}"
    cropped = "" if crop is None else (
        f"crop=iw*{_fraction(crop.width)}:ih*{_fraction(crop.height)}:"
        f"iw*{_fraction(crop.left)}:ih*{_fraction(crop.top)},")
    steps.append(f"[{label}]{cropped}scale=trunc(iw/2)*2:trunc(ih/2)*2[out]")
    return ";".join(steps)


#: The longest one video may take to be blurred and re-encoded, seconds.
VIDEO_RENDER_SECONDS = 300


def render_video(source: Path, crop: Box | None, blur: Sequence[Box]) -> bytes:
    """The public video: blurred and cropped as asked, re-encoded as H.264 MP4 with no
    sound (a voice may say a name) and no metadata or chapters.

    Raises
    ------
    StoryRefused
        If ffmpeg is missing, fails or runs out of time.
    """
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise StoryRefused(_("Videos cannot be prepared on this server (ffmpeg is missing)."))
    with tempfile.TemporaryDirectory(prefix="stride-story-") as folder:
        out = Path(folder) / "public.mp4"
        try:
            subprocess.run(  # noqa: S603 - fixed program, arguments are not a shell line
                [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                 "-i", str(source), "-filter_complex", video_filter(crop, blur),
                 "-map", "[out]", "-an", "-sn", "-dn", "-map_metadata", "-1",
                 "-map_chapters", "-1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                 "-movflags", "+faststart", "-f", "mp4", str(out)],
                check=True, capture_output=True, timeout=VIDEO_RENDER_SECONDS)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            raise StoryRefused(_("This video could not be prepared; choose another one or "
                                 "ask the family to send it again.")) from None
        return out.read_bytes()


def _public_file(document: Document, kind: MediaKind, crop: Box | None,
                 blur: Sequence[Box]) -> str:
    """Make the processed public file of ``document``; return its stored name."""
    with open_stored(document.stored_name) as handle:
        if kind is MediaKind.PHOTO:
            return save_bytes("stories", ".jpg", render_photo(handle.read(), crop, blur))
        with tempfile.NamedTemporaryFile(prefix="stride-story-", suffix=".video") as copy:
            shutil.copyfileobj(handle, copy)
            copy.flush()
            return save_bytes("stories", ".mp4", render_video(Path(copy.name), crop, blur))


@transaction.atomic
def add_media(*, by: User, story: Story, document: Document, alt_text: str,
              crop: Sequence[float] | None = None, blur: Sequence[Sequence[float]] = (),
              no_face_visible: bool = False) -> StoryMedia:
    """Add a photo or a video the family sent to the case, cropped and blurred as asked
    (a video without blur regions only with ``no_face_visible``); its public file is made
    now, without metadata (and a video without sound)."""
    story = _lock(story)
    _require("edit", story)
    if document.patient_id != story.case.patient_id:
        raise StoryRefused(_("Choose a photo or video of this child."))
    if document.content_type in PHOTO_TYPES:
        kind = MediaKind.PHOTO
    elif document.content_type in VIDEO_TYPES:
        kind = MediaKind.VIDEO
        if not blur and not no_face_visible:
            raise StoryRefused(_("Give the rectangle of each face to blur in this video, or "
                                 "tick “No face is visible in this video” after watching it "
                                 "to the end."))
    else:
        raise StoryRefused(_("Only photos (JPEG, PNG) and videos can be shown in a story."))
    alt = alt_text.strip()
    if not alt or len(alt) > 300:
        raise StoryRefused(_("Describe the picture in a sentence for people who cannot see "
                             "it (at most 300 characters), without names or dates."))
    crop_box, boxes = _boxes(crop, blur)
    try:
        name = _public_file(document, kind, crop_box, boxes)
    except FileNotFoundError:
        raise StoryRefused(_("The file of this document is missing; ask the family to send "
                             "it again.")) from None
    except (OSError, Image.DecompressionBombError):
        raise StoryRefused(_("This picture could not be read; choose another one.")) from None
    media = StoryMedia.objects.create(
        story=story, source=document, kind=kind.value,
        crop=[] if crop_box is None else [crop_box.left, crop_box.top, crop_box.width,
                                          crop_box.height],
        blur=[[b.left, b.top, b.width, b.height] for b in boxes],
        no_face_visible=no_face_visible, alt_text=alt, public_name=name,
        content_type="image/jpeg" if kind is MediaKind.PHOTO else "video/mp4")
    record(actor=by, action=Action.CREATE, object_type=ObjectType.STORY_MEDIA,
           object_id=media.pk, patient_id=story.case.patient_id)
    _edited(by, story)
    return media


def _delete_files_on_commit(names: list[str]) -> None:
    for name in names:
        if name:
            transaction.on_commit(lambda n=name: delete_stored(n))  # type: ignore[misc]


@transaction.atomic
def remove_media(*, by: User, story: Story, media: StoryMedia) -> None:
    """Take a picture or video out of the story (its public file is deleted)."""
    story = _lock(story)
    _require("edit", story)
    _delete_files_on_commit([media.public_name])
    record(actor=by, action=Action.DELETE, object_type=ObjectType.STORY_MEDIA,
           object_id=media.pk, patient_id=story.case.patient_id)
    media.delete()
    _edited(by, story)


@transaction.atomic
def send_to_family(*, by: User, story: Story, ticked: Sequence[str]) -> Story:
    """Record the coordinator's checklist and send the draft to the family.

    Raises
    ------
    StoryRefused
        With every problem: a name or an exact date in a text, a box not ticked, no text.
    """
    story = _lock(story)
    _require("send-to-family", story)
    items = [item.value for item in ChecklistItem if item.value in set(ticked)]
    problems = problems_of(story, ticked=items)
    if problems:
        raise StoryRefused(_("The story cannot go to the family yet: see the problems listed."),
                           problems)
    _review(story, ReviewKind.CHECKLIST, by=by, items=items)
    _review(story, ReviewKind.SENT_TO_FAMILY, by=by)
    _set_status(story, StoryStatus.AWAITING_FAMILY)
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step=StoryStatus.AWAITING_FAMILY.value))
    return story


def _content_read(story: Story, content: str) -> None:
    if content != current_hash(story):
        raise StoryRefused(_("The story was changed while you were reading it. Please read "
                             "it again before you answer."))


@transaction.atomic
def family_approve(*, by: User, story: Story, guardian: Guardian, language: str,
                   content: str) -> Story:
    """The family approves the story as read in ``language`` (``content``: the hash of
    what the page showed); it goes to a clinician."""
    story = _lock(story)
    _require("family-approve", story)
    _content_read(story, content)
    _review(story, ReviewKind.FAMILY_APPROVED, by=by, guardian=guardian,
            language=language if language in LANGUAGE_CODES else "", content=content)
    _set_status(story, StoryStatus.AWAITING_CLINICIAN)
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step=StoryStatus.AWAITING_CLINICIAN.value))
    return story


@transaction.atomic
def family_ask_changes(*, by: User, story: Story, guardian: Guardian, message: str) -> Story:
    """The family asks for changes (``message`` says which); the story returns to the
    draft."""
    story = _lock(story)
    _require("family-ask-changes", story)
    if not message.strip():
        raise StoryRefused(_("Write what you would like changed."))
    _review(story, ReviewKind.FAMILY_ASKED_CHANGES, by=by, guardian=guardian,
            note=message.strip()[:4000])
    _set_status(story, StoryStatus.DRAFT)
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step="changes-asked"))
    return story


def _clinician(by: User) -> None:
    if by.role not in (Role.CLINICIAN.value, Role.SURGEON.value):
        raise StoryRefused(_("Only a clinician or surgeon of the care team checks the "
                             "medical statements of a story."))


@transaction.atomic
def clinician_agree(*, by: User, story: Story, note: str, content: str) -> Story:
    """A clinician agrees with the story's medical statements (``content``: the hash of
    what they read); it is ready to publish."""
    story = _lock(story)
    _clinician(by)
    _require("clinician-agree", story)
    _content_read(story, content)
    if not family_approval_stands(story):
        raise StoryRefused(_("The family's approval is not for this version of the story."))
    _review(story, ReviewKind.CLINICIAN_AGREED, by=by, note=note.strip()[:4000],
            content=content)
    story.approved_hash = content
    story.save(update_fields=("approved_hash",))
    _set_status(story, StoryStatus.READY)
    _audit(by, story)
    return story


@transaction.atomic
def clinician_send_back(*, by: User, story: Story, note: str) -> Story:
    """A clinician sends the story back to the draft, saying what is medically wrong."""
    story = _lock(story)
    _clinician(by)
    _require("clinician-send-back", story)
    if not note.strip():
        raise StoryRefused(_("Write which medical statement needs changing, and why."))
    _review(story, ReviewKind.CLINICIAN_SENT_BACK, by=by, note=note.strip()[:4000])
    _set_status(story, StoryStatus.DRAFT)
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step="sent-back"))
    return story


@transaction.atomic
def publish(*, by: User, story: Story) -> Story:
    """Publish the story in the languages it has.

    Raises
    ------
    StoryRefused
        Unless a coordinator publishes a story whose family approval and clinician check
        are for its content now, with no de-identification problem left.
    ConsentMissing
        If the story consent (or, with pictures, the photo-and-video consent) is not in
        force.
    """
    story = _lock(story)
    if by.role != Role.COORDINATOR.value:
        raise StoryRefused(_("A coordinator of the care team publishes stories."))
    _require("publish", story)
    content = current_hash(story)
    if story.approved_hash != content or not family_approval_stands(story) \
            or not clinician_check_stands(story):
        raise StoryRefused(_("The family's approval and the clinician's check must be for "
                             "this version of the story."))
    problems = problems_of(story)
    if problems:
        raise StoryRefused(_("The story cannot be published: see the problems listed."),
                           problems)
    require_consents(patient=story.case.patient_id, use=DataUse.PUBLIC_STORY)
    if story.media.exists():
        require_consents(patient=story.case.patient_id, use=DataUse.STORY_MEDIA)
    _review(story, ReviewKind.PUBLISHED, by=by, content=content)
    story.published_at = timezone.now()
    story.save(update_fields=("published_at",))
    _set_status(story, StoryStatus.PUBLISHED)
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step=StoryStatus.PUBLISHED.value))
    return story


def _take_down(by: User | None, story: Story, how: WithdrawnHow, note: str = "") -> None:
    """Withdraw a locked story: status, who and how, its public files deleted."""
    story.status = StoryStatus.WITHDRAWN.value
    story.withdrawn_at = timezone.now()
    story.withdrawn_by = by
    story.withdrawn_how = how.value
    story.updated_at = story.withdrawn_at
    story.save(update_fields=("status", "withdrawn_at", "withdrawn_by", "withdrawn_how",
                              "updated_at"))
    media = list(story.media.all())
    _delete_files_on_commit([m.public_name for m in media])
    StoryMedia.objects.filter(story=story).update(public_name="")
    _review(story, ReviewKind.WITHDRAWN, by=by, note=note or str(how.label))
    _audit(by, story)
    announce(StoryStepped(case_id=story.case_id, patient_id=story.case.patient_id,
                          story_id=story.pk, step=StoryStatus.WITHDRAWN.value))


@transaction.atomic
def withdraw(*, by: User, story: Story, how: WithdrawnHow, note: str = "") -> Story:
    """Withdraw the story at once (from any status but withdrawn)."""
    story = _lock(story)
    _require("withdraw", story)
    _take_down(by, story, how, note)
    return story


@transaction.atomic
def family_withdraw(*, by: User, story: Story, guardian: Guardian) -> Story:
    """The family withdraws the story and their consent to the publication of stories:
    the story leaves the site at once, and the consent's withdrawal is recorded (which
    withdraws any other story of the child too)."""
    story = _lock(story)
    if story.status_enum is not StoryStatus.WITHDRAWN:
        _take_down(by, story, WithdrawnHow.PORTAL,
                   _("Withdrawn by %(guardian)s in the portal.") % {"guardian": guardian})
    for consent_id in Consent.objects.filter(
            patient_id=story.case.patient_id, kind=ConsentKind.STORY_PUBLICATION.value,
            withdrawn_at__isnull=True).values_list("pk", flat=True):
        withdraw_consent(by=by, consent_id=consent_id,
                         reason=_("Withdrawn with the family's story in the portal."))
    return story


@transaction.atomic
def withdraw_for_consent(*, patient_id: int, kind: str, by: User | None = None) -> int:
    """A consent was withdrawn: withdraw every story of the child that needed it (all of
    them for the story or data-processing consent; for the photo-and-video consent, only
    the pictures' public files go). Returns how many stories were withdrawn."""
    if kind == ConsentKind.PHOTO_VIDEO.value:
        media = list(StoryMedia.objects.filter(story__case__patient_id=patient_id)
                     .exclude(public_name=""))
        _delete_files_on_commit([m.public_name for m in media])
        StoryMedia.objects.filter(pk__in=[m.pk for m in media]).update(public_name="")
        return 0
    if kind not in (ConsentKind.STORY_PUBLICATION.value, ConsentKind.DATA_PROCESSING.value):
        return 0
    count = 0
    for story in Story.objects.select_for_update().select_related("case").filter(
            case__patient_id=patient_id).exclude(status=StoryStatus.WITHDRAWN.value):
        _take_down(by, story, WithdrawnHow.CONSENT)
        count += 1
    return count
