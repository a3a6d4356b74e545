"""Receiving files from families safely: caps while streaming, type by content, no metadata.

The path of a file from the browser to the media folder:

1. :class:`SizeLimitedUploadHandler` (the one entry of ``FILE_UPLOAD_HANDLERS``) decides
   for each file part before a byte of it is written. A page takes only the file fields
   declared for it in :data:`settings.STRIDE_UPLOAD_FIELDS` (by URL name), one file each
   unless :data:`settings.STRIDE_UPLOAD_MAX_FILES` allows a field more (:func:`max_files`);
   a page not listed takes none, and only the pages in
   :data:`settings.STRIDE_UPLOAD_PUBLIC_PAGES` take files from someone not signed in.
   Any other file is turned away unread (:func:`turned_away_fields`, with a notice on the
   next page). An accepted file is written to a temporary file in
   ``FILE_UPLOAD_TEMP_DIR`` as it arrives (never held whole in memory) and dropped as soon
   as it passes its kind's limit (:func:`max_bytes`; :func:`oversized_fields` lets the form
   say which). So one request leaves at most :func:`request_max_bytes` on disk, and
   ``DATA_UPLOAD_MAX_NUMBER_FILES`` stops a request with very many file parts early.
2. :func:`stage` detects the type from the first bytes (:func:`sniff`; the name and the
   browser's claimed type are ignored), refuses anything not allowed for the kind, checks
   that the whole file is what its first bytes claim (:mod:`.media_checks`: an image's
   pixel count from its header before any decoding, truncation, a video's container with
   ffprobe), writes a copy without metadata (image pixels re-encoded; a video's streams
   copied by ffmpeg without location or other tags), hashes it and leaves it under a
   random name in a staging folder inside ``MEDIA_ROOT``.
3. The service that records the :class:`~stride.web.documents.models.Document` rows moves
   staged files to their final name inside its transaction (:func:`commit_staged`), and
   removes them all if anything fails (:func:`discard`): no orphan files.

Temporary files are deleted when a file is refused and when the request ends (Django closes
them); what a killed process leaves behind (in the temporary folder or the staging folder)
is removed by :func:`clean_stale_files`: at a process's first upload, and by
``manage.py clean_uploads``.

A page may :func:`hold` checked files that it cannot record yet (the public inquiry form
keeps the good files of a form refused for another mistake, so the family need not choose
them again): they wait in a folder of their own and are removed after :func:`held_for`
by the same cleaning.

``MEDIA_ROOT`` is outside the web root; files are only ever served by views that check
access and audit (:func:`stride.web.platform.http.stored_file_response`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import IO, NoReturn, cast

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stride.web.platform.media_checks import (
    MATROSKA_CONTAINER,
    MOV_CONTAINER,
    MP4_CONTAINER,
    WEBM_CONTAINER,
    Container,
    MediaRefused,
    Reason,
    check_ebml,
    check_iso_media,
    check_pdf,
    write_image_without_metadata,
    write_video_without_metadata,
)

logger = logging.getLogger(__name__)

STAGING_FOLDER = ".staging"
#: Checked files a page keeps for a form sent again (see :func:`hold`).
HELD_FOLDER = ".held"
_SNIFF_BYTES = 64
_CHUNK = 1024 * 1024
#: A temporary or staged file older than this belongs to no running request: requests
#: finish (or are cut off by the server) long before.
STALE_AFTER = timedelta(hours=1)
#: Room for the multipart headers around the parts of one request.
_MULTIPART_SLACK = 1_000_000


class UploadKind(StrEnum):
    """What a file field accepts; decides the size limit and the allowed types."""

    DOCUMENT = "document"
    VIDEO = "video"
    RECORDING = "recording"  # EMG recordings of the operating room (EDF+)


@dataclass(frozen=True, slots=True)
class DetectedType:
    """A file type recognised from its content."""

    content_type: str
    extension: str
    kind: UploadKind
    is_image: bool = False


PDF = DetectedType("application/pdf", "pdf", UploadKind.DOCUMENT)
JPEG = DetectedType("image/jpeg", "jpg", UploadKind.DOCUMENT, is_image=True)
PNG = DetectedType("image/png", "png", UploadKind.DOCUMENT, is_image=True)
MP4 = DetectedType("video/mp4", "mp4", UploadKind.VIDEO)
QUICKTIME = DetectedType("video/quicktime", "mov", UploadKind.VIDEO)
WEBM = DetectedType("video/webm", "webm", UploadKind.VIDEO)
MATROSKA = DetectedType("video/x-matroska", "mkv", UploadKind.VIDEO)

_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG"}
_CONTAINER: dict[DetectedType, Container] = {
    MP4: MP4_CONTAINER, QUICKTIME: MOV_CONTAINER, WEBM: WEBM_CONTAINER,
    MATROSKA: MATROSKA_CONTAINER,
}


def sniff(head: bytes) -> DetectedType | None:
    """Return the type that the file's first bytes show, or ``None`` if not an allowed one."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp":  # ISO base media: MP4 and QuickTime name their brand here
        return QUICKTIME if head[8:12] == b"qt  " else MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML header: WebM is Matroska with a doctype
        return WEBM if b"webm" in head[:_SNIFF_BYTES] else MATROSKA
    return None


def max_bytes(kind: UploadKind) -> int:
    """Return the largest file allowed for ``kind``, in bytes (from settings)."""
    if kind is UploadKind.VIDEO:
        return int(settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES)
    if kind is UploadKind.RECORDING:
        return int(settings.STRIDE_UPLOAD_RECORDING_MAX_BYTES)
    return int(settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES)


def max_pixels() -> int:
    """Return the most pixels (width × height) an image may have (from settings)."""
    return int(settings.STRIDE_UPLOAD_IMAGE_MAX_PIXELS)


def kind_of_field(field_name: str) -> UploadKind:
    """Return the kind of a form field by its name: ``*video*`` fields take videos,
    ``*recording*`` fields EMG recordings."""
    if "recording" in field_name:
        return UploadKind.RECORDING
    return UploadKind.VIDEO if "video" in field_name else UploadKind.DOCUMENT


class UploadRefused(Exception):
    """A file was refused; ``message`` is translated and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _number(value: float) -> str:
    """A count in the reader's locale, without decimals when it is whole."""
    return number_format(int(value) if float(value).is_integer() else value)


def _megabytes(size: int) -> str:
    return _number(size / 1_000_000)


def too_large_message(kind: UploadKind) -> str:
    """Return the translated "file too large" message for ``kind``."""
    return _(
        "This file is larger than %(limit)s MB. Send a smaller file (a shorter video, or a "
        "scan at a lower resolution)."
    ) % {"limit": _megabytes(max_bytes(kind))}


# ------------------------------------------------------------------ what a request may send


def _view_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return str(match.view_name)


def accepted_fields(request: HttpRequest) -> dict[str, UploadKind]:
    """Return the file fields ``request``'s page takes, with their kinds.

    From :data:`settings.STRIDE_UPLOAD_FIELDS` by the page's URL name; none for a page not
    listed, and none for someone not signed in unless the page is one of
    :data:`settings.STRIDE_UPLOAD_PUBLIC_PAGES`.
    """
    name = _view_name(request)
    declared: dict[str, str] = settings.STRIDE_UPLOAD_FIELDS.get(name or "", {})
    if not declared:
        return {}
    if name not in settings.STRIDE_UPLOAD_PUBLIC_PAGES:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
    return {field: UploadKind(kind) for field, kind in declared.items()}


def max_files(page: str, field: str) -> int:
    """Return how many files the file field ``field`` of the page named ``page`` (its URL
    name) takes: :data:`settings.STRIDE_UPLOAD_MAX_FILES`, else one."""
    counts: dict[str, int] = getattr(settings, "STRIDE_UPLOAD_MAX_FILES", {}).get(page, {})
    return max(1, int(counts.get(field, 1)))


def _field_budget(page: str | None, fields: dict[str, UploadKind]) -> int:
    """The bytes a page's files may take together: each field's count × its kind's limit."""
    return sum(max_bytes(kind) * max_files(page or "", name) for name, kind in fields.items())


def request_max_bytes(request: HttpRequest) -> int:
    """Return the largest body ``request``'s page needs: its files at their limits (each
    field's :func:`max_files` × its kind's :func:`max_bytes`), the form's fields
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and the multipart headers.

    What one request can leave in the temporary folder is at most the files' part; a TLS
    proxy in front should cap request bodies at the largest page's total.
    """
    files = _field_budget(_view_name(request), accepted_fields(request))
    return files + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) + _MULTIPART_SLACK


def oversized_fields(request: HttpRequest) -> dict[str, UploadKind]:
    """Return the file fields of ``request`` whose file was skipped for being too large."""
    found: dict[str, UploadKind] = getattr(request, "_stride_oversized", {})
    return found


def turned_away_fields(request: HttpRequest) -> list[str]:
    """Return the file fields of ``request`` turned away unread: not taken by the page, more
    files in one field than it takes (:func:`max_files`), or a page that needs a signed-in
    user."""
    found: list[str] = getattr(request, "_stride_turned_away", [])
    return found


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Decides for each file part before it is written, then writes it to a temporary file
    while counting its bytes (see the module's step 1).

    A file that is turned away or grows past its limit is missing from ``request.FILES``;
    :func:`oversized_fields` and :func:`turned_away_fields` say which and why.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._accepted: dict[str, UploadKind] | None = None
        self._budget = 0
        self._seen: dict[str, int] = {}
        self._page = ""
        self._kept = 0
        self._received = 0
        self._limit = 0
        self._kind = UploadKind.DOCUMENT

    def _accepted_fields(self) -> dict[str, UploadKind]:
        if self._accepted is None:
            self._accepted = accepted_fields(self.request) if self.request is not None else {}
            self._page = (_view_name(self.request) or "") if self.request is not None else ""
            self._budget = _field_budget(self._page, self._accepted)
        return self._accepted

    def handle_raw_input(self, input_data: IO[bytes], META: dict[str, str],  # noqa: N803
                         content_length: int, boundary: str,
                         encoding: str | None = None) -> None:
        sweep_stale_files_once()
        self._accepted_fields()

    def new_file(self, field_name: str, file_name: str, content_type: str,
                 content_length: int | None, charset: str | None = None,
                 content_type_extra: dict[str, bytes] | None = None) -> None:
        kind = self._accepted_fields().get(field_name)
        # A field's parts are counted as they come: the ones past its count are turned
        # away unread, like a field the page does not have.
        seen = self._seen.get(field_name, 0)
        if kind is None or seen >= max_files(self._page, field_name):
            self._turn_away(field_name)
        self._seen[field_name] = seen + 1
        self._kind, self._limit, self._received = kind, max_bytes(kind), 0
        if content_length is not None and content_length > self._limit:
            self._too_large(field_name, before_writing=True)
        temp_root()
        super().new_file(field_name, file_name, content_type, content_length, charset,
                         content_type_extra)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        self._kept += len(raw_data)
        if self._received > self._limit or self._kept > self._budget:
            # Django closes this file's temporary file on SkipFile, which deletes it.
            self._too_large(str(self.field_name), before_writing=False)
        return super().receive_data_chunk(raw_data, start)

    def _forget_previous_file(self) -> None:
        # On SkipFile, Django closes the ``file`` of every handler. Before this part's own
        # temporary file exists, ``file`` is the previous field's finished upload (already
        # in request.FILES): closing it would delete it.
        self.__dict__.pop("file", None)

    def _too_large(self, field_name: str, *, before_writing: bool) -> NoReturn:
        if self.request is not None:
            refused = oversized_fields(self.request)
            refused[field_name] = self._kind
            self.request._stride_oversized = refused  # type: ignore[attr-defined]
        if before_writing:
            self._forget_previous_file()
        raise SkipFile

    def _turn_away(self, field_name: str) -> NoReturn:
        self._forget_previous_file()
        if self.request is not None:
            turned = turned_away_fields(self.request)
            if not turned:
                messages.warning(self.request, _(
                    "Some of the files sent were not accepted: more files than a field "
                    "takes, or a file this form does not ask for. Nothing of them was "
                    "kept."),
                    fail_silently=True)
            turned.append(field_name)
            self.request._stride_turned_away = turned  # type: ignore[attr-defined]
            logger.warning("Upload turned away unread: file field %r on %s", field_name[:80],
                           _view_name(self.request))
        raise SkipFile


# ------------------------------------------------------------------ staging


@dataclass(frozen=True, slots=True)
class StagedFile:
    """A checked file waiting in the staging folder for its :class:`Document` row."""

    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    metadata_removed: bool
    #: The folder it waits in: the staging folder, or the held folder (:func:`hold`).
    folder: str = STAGING_FOLDER

    @property
    def staged_path(self) -> Path:
        """Where the file waits until :func:`commit_staged` moves it."""
        return media_root() / self.folder / self.stored_name

    def to_json(self) -> dict[str, object]:
        """The file as JSON-ready data (a session keeps held files this way)."""
        return {"stored_name": self.stored_name, "original_name": self.original_name,
                "content_type": self.content_type, "size_bytes": self.size_bytes,
                "sha256": self.sha256, "metadata_removed": self.metadata_removed,
                "folder": self.folder}

    @property
    def final_path(self) -> Path:
        """Where the file lives once committed."""
        return media_root() / self.stored_name


def media_root() -> Path:
    """Return the media folder (created if missing)."""
    root = Path(settings.MEDIA_ROOT)
    (root / STAGING_FOLDER).mkdir(parents=True, exist_ok=True)
    return root


def temp_root() -> Path:
    """Return the folder of upload temporary files, ``FILE_UPLOAD_TEMP_DIR`` (created if
    missing)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clean_original_name(name: str) -> str:
    """Return the sender's file name without folders or control characters (display only)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (kept or "file")[:255]


def _not_this_kind_message(kind: UploadKind) -> str:
    if kind is UploadKind.DOCUMENT:
        return _("This file is not a PDF, JPEG or PNG. Send the report as a PDF or a photo.")
    return _("This file is not an MP4, MOV or WebM video. Send the video as it came from the "
             "phone.")


def _refusal_message(detected: DetectedType, refused: MediaRefused) -> str:
    if refused.reason is Reason.TOO_MANY_PIXELS:
        return _(
            "This image is %(width)s × %(height)s pixels, more than the %(limit)s million "
            "accepted. Send it at a lower resolution (a smaller photo or scan), or as a PDF."
        ) % {"width": _number(refused.width), "height": _number(refused.height),
             "limit": _number(max_pixels() / 1_000_000)}
    if detected.is_image:
        return _("This image could not be read. Take the photo again or send it as a PDF.")
    if detected is PDF:
        return _("This PDF is incomplete or damaged. Save or export it again and send the "
                 "new file.")
    if refused.reason is Reason.CHECK_UNAVAILABLE:
        return _("This video could not be checked just now. Try again in a few minutes, or "
                 "send a shorter video.")
    return _("This video could not be read: it is incomplete or damaged, or holds no "
             "picture. Send the video again as it came from the phone.")


def stage(upload: UploadedFile, *, kind: UploadKind) -> StagedFile:
    """Check ``upload`` and write a copy without metadata to the staging folder.

    Returns
    -------
    StagedFile
        The stored name (random), detected type, size, SHA-256 and whether metadata was
        removed (images and videos: always).

    Raises
    ------
    UploadRefused
        If the file is empty, too large for ``kind``, not an allowed type for ``kind``
        (whatever its name says), not whole or not what its first bytes claim, an image
        with more pixels than allowed, or a video that cannot be checked; nothing is left
        on disk.
    """
    size = upload.size or 0
    if size > max_bytes(kind):
        raise UploadRefused(too_large_message(kind))
    if size == 0:
        raise UploadRefused(_("This file is empty. Choose the file again."))
    upload.seek(0)
    detected = sniff(upload.read(_SNIFF_BYTES))
    upload.seek(0)
    if detected is None or detected.kind is not kind:
        raise UploadRefused(_not_this_kind_message(kind))
    stored_name = f"{secrets.token_hex(16)}.{detected.extension}"
    path = media_root() / STAGING_FOLDER / stored_name
    try:
        _write_checked_copy(upload, detected, size, path)
        digest = _sha256(path)
        written = path.stat().st_size
    except MediaRefused as refused:
        path.unlink(missing_ok=True)
        log = logger.error if refused.reason is Reason.CHECK_UNAVAILABLE else logger.info
        log("Upload refused (%s): %s", detected.content_type, refused)
        raise UploadRefused(_refusal_message(detected, refused)) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    finally:
        upload.seek(0)
    return StagedFile(
        stored_name=stored_name, original_name=clean_original_name(upload.name or ""),
        content_type=detected.content_type, size_bytes=written, sha256=digest,
        metadata_removed=detected.is_image or detected.kind is UploadKind.VIDEO,
    )


def _source(upload: UploadedFile) -> IO[bytes]:
    return cast(IO[bytes], upload.file)


def _write_checked_copy(upload: UploadedFile, detected: DetectedType, size: int,
                        path: Path) -> None:
    if detected.is_image:
        with path.open("xb") as out:
            write_image_without_metadata(_source(upload), out, _PILLOW_FORMAT[detected],
                                         max_pixels=max_pixels())
    elif detected is PDF:
        check_pdf(_source(upload), size)
        upload.seek(0)
        with path.open("xb") as out:
            for chunk in upload.chunks(_CHUNK):
                out.write(chunk)
    else:
        _write_video(upload, detected, size, path)


def _write_video(upload: UploadedFile, detected: DetectedType, size: int, path: Path) -> None:
    container = _CONTAINER[detected]
    if container.is_iso_media:
        check_iso_media(_source(upload), size)
    else:
        check_ebml(_source(upload), size, doctype="webm" if detected is WEBM else "matroska")
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:  # the upload handler's file on disk: ffmpeg reads it there
        write_video_without_metadata(Path(temporary()), path, container,
                                     timeout_seconds=settings.STRIDE_UPLOAD_VIDEO_CHECK_SECONDS)
        return
    copy = temp_root() / f"stride-{secrets.token_hex(16)}.part"
    try:
        upload.seek(0)
        with copy.open("xb") as out:
            for chunk in upload.chunks(_CHUNK):
                out.write(chunk)
        write_video_without_metadata(copy, path, container,
                                     timeout_seconds=settings.STRIDE_UPLOAD_VIDEO_CHECK_SECONDS)
    finally:
        copy.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def commit_staged(files: Iterable[StagedFile]) -> None:
    """Move staged files to their final names (a rename within the media folder)."""
    for staged in files:
        os.replace(staged.staged_path, staged.final_path)


def discard(files: Iterable[StagedFile]) -> None:
    """Remove staged files, wherever they are (staging or held folder, or final place)."""
    for staged in files:
        staged.staged_path.unlink(missing_ok=True)
        staged.final_path.unlink(missing_ok=True)


# ------------------------------------------------------------------ held files

#: Stored names :func:`stage` gives (32 hex digits and an allowed extension): a held file
#: read back from a session is accepted only in this form, so no path can be slipped in.
_STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|jpg|png|mp4|mov|webm|mkv)")


def held_for() -> timedelta:
    """How long a held file is kept: as long as the session that holds it can live (a
    session unused for ``SESSION_COOKIE_AGE`` ends), plus :data:`STALE_AFTER`. After that
    no page can reach it, and :func:`clean_stale_files` removes it."""
    return timedelta(seconds=int(settings.SESSION_COOKIE_AGE)) + STALE_AFTER


def hold(file: StagedFile) -> StagedFile:
    """Move a checked file into the held folder (or refresh its time there) and return it
    as held; :func:`commit_staged` and :func:`discard` take it from there like any other.

    Raises
    ------
    FileNotFoundError
        If the file is no longer where it waited (cleaned after :func:`held_for`).
    """
    folder = media_root() / HELD_FOLDER
    folder.mkdir(exist_ok=True)
    target = folder / file.stored_name
    if file.staged_path != target:
        os.replace(file.staged_path, target)
    os.utime(target)  # the cleaning counts from the latest time the form was sent
    return replace(file, folder=HELD_FOLDER)


def held_file(data: object) -> StagedFile | None:
    """Return the held file described by ``data`` (from :meth:`StagedFile.to_json`), or
    ``None`` if the description is malformed or the file is no longer in the held folder."""
    if not isinstance(data, dict):
        return None
    try:
        file = StagedFile(
            stored_name=str(data["stored_name"]), original_name=str(data["original_name"]),
            content_type=str(data["content_type"]), size_bytes=int(data["size_bytes"]),
            sha256=str(data["sha256"]), metadata_removed=bool(data["metadata_removed"]),
            folder=HELD_FOLDER)
    except (KeyError, TypeError, ValueError):
        return None
    if not _STORED_NAME.fullmatch(file.stored_name) or not file.staged_path.is_file():
        return None
    return file


# ------------------------------------------------------------------ leftovers


#: What upload code writes to the temporary folder: Django's upload files
#: (``tmp…upload.ext``) and copies made for ffmpeg (``stride-….part``).
_TEMP_PATTERNS = ("tmp*.upload*", "stride-*.part")


def clean_stale_files(*, older_than: timedelta = STALE_AFTER,
                      now: float | None = None) -> list[Path]:
    """Remove upload leftovers older than ``older_than``: temporary files and staged files
    that a killed process left behind, and held files older than :func:`held_for` (or
    ``older_than`` if longer). Returns the paths removed."""
    moment = time.time() if now is None else now
    cutoff = moment - older_than.total_seconds()
    held_cutoff = moment - max(older_than, held_for()).total_seconds()
    candidates: list[tuple[Path, float]] = []
    for pattern in _TEMP_PATTERNS:
        candidates += [(path, cutoff) for path in temp_root().glob(pattern)]
    candidates += [(path, cutoff) for path in (media_root() / STAGING_FOLDER).glob("*")]
    candidates += [(path, held_cutoff) for path in (media_root() / HELD_FOLDER).glob("*")]
    removed = []
    for path, before in candidates:
        try:
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_mtime < before:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue  # removed meanwhile (its request ended)
    return removed


_swept_lock = threading.Lock()
_swept = False


def sweep_stale_files_once() -> None:
    """Run :func:`clean_stale_files` once per process (at its first upload); a failure to
    clean is logged, never in the way of the upload."""
    global _swept
    with _swept_lock:
        if _swept:
            return
        _swept = True
    try:
        removed = clean_stale_files()
    except OSError:
        logger.exception("Could not clean stale upload files")
        return
    if removed:
        logger.info("Removed %d stale upload files", len(removed))
