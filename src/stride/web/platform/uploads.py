"""Receiving files from families safely: size limits while streaming, type by content, no metadata.

The path of a file from the browser to the media folder:

1. :class:`SizeLimitedUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) counts the bytes of
   each file as they arrive and skips the file as soon as it passes its kind's limit
   (documents :data:`settings.STRIDE_UPLOAD_DOCUMENT_MAX_BYTES`, videos
   :data:`settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES`); Django's temporary-file handler behind
   it writes the rest to disk, so a file is never held whole in memory.
2. :func:`stage` detects the type from the first bytes (:func:`sniff`; the name and the
   browser's claimed type are ignored), refuses anything not allowed for the kind, removes
   image metadata (EXIF, GPS position) by re-encoding the pixels, hashes the content and
   writes it under a random name in a staging folder inside ``MEDIA_ROOT``.
3. The service that records the :class:`~stride.web.documents.models.Document` rows moves
   staged files to their final name inside its transaction (:func:`commit_staged`), and
   removes them all if anything fails (:func:`discard`): no orphan files.

``MEDIA_ROOT`` is outside the web root; files are only ever served by views that check
access and audit (:func:`stride.web.platform.http.stored_file_response`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

STAGING_FOLDER = ".staging"
_SNIFF_BYTES = 64
_CHUNK = 1024 * 1024


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


def _megabytes(size: int) -> str:
    return number_format(size / 1_000_000)


def too_large_message(kind: UploadKind) -> str:
    """Return the translated "file too large" message for ``kind``."""
    return _(
        "This file is larger than %(limit)s MB. Send a smaller file (a shorter video, or a "
        "scan at a lower resolution)."
    ) % {"limit": _megabytes(max_bytes(kind))}


def oversized_fields(request: HttpRequest) -> dict[str, UploadKind]:
    """Return the file fields of ``request`` whose file was skipped for being too large."""
    found: dict[str, UploadKind] = getattr(request, "_stride_oversized", {})
    return found


class SizeLimitedUploadHandler(FileUploadHandler):
    """Skips a file as soon as its size passes its kind's limit (before it is all read).

    Put first in ``FILE_UPLOAD_HANDLERS``: chunks pass through it to the temporary-file
    handler. A skipped file is missing from ``request.FILES`` and listed by
    :func:`oversized_fields`, so the form can say which file was too large.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self._received = 0
        self._limit = 0
        self._kind = UploadKind.DOCUMENT

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self._received = 0
        self._kind = kind_of_field(field_name)
        self._limit = max_bytes(self._kind)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self._received += len(raw_data)
        if self._received > self._limit:
            if self.request is not None:
                refused = oversized_fields(self.request)
                refused[str(self.field_name)] = self._kind
                self.request._stride_oversized = refused  # type: ignore[attr-defined]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@dataclass(frozen=True, slots=True)
class StagedFile:
    """A checked file waiting in the staging folder for its :class:`Document` row."""

    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    metadata_removed: bool

    @property
    def staged_path(self) -> Path:
        """Where the file waits until :func:`commit_staged` moves it."""
        return media_root() / STAGING_FOLDER / self.stored_name

    @property
    def final_path(self) -> Path:
        """Where the file lives once committed."""
        return media_root() / self.stored_name


def media_root() -> Path:
    """Return the media folder (created if missing)."""
    root = Path(settings.MEDIA_ROOT)
    (root / STAGING_FOLDER).mkdir(parents=True, exist_ok=True)
    return root


def clean_original_name(name: str) -> str:
    """Return the sender's file name without folders or control characters (display only)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (kept or "file")[:255]


def stage(upload: UploadedFile, *, kind: UploadKind) -> StagedFile:
    """Check ``upload`` and write it to the staging folder under a random name.

    Returns
    -------
    StagedFile
        The stored name, detected type, size, SHA-256 and whether metadata was removed.

    Raises
    ------
    UploadRefused
        If the file is empty, too large for ``kind``, or its content is not an allowed type
        for ``kind`` (whatever its name says); nothing is left on disk.
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
        raise UploadRefused(
            _("This file is not a PDF, JPEG or PNG. Send the report as a PDF or a photo.")
            if kind is UploadKind.DOCUMENT
            else _("This file is not an MP4, MOV or WebM video. Send the video as it came "
                   "from the phone.")
        )
    stored_name = f"{secrets.token_hex(16)}.{detected.extension}"
    path = media_root() / STAGING_FOLDER / stored_name
    try:
        if detected.is_image:
            _write_image_without_metadata(upload, path, _PILLOW_FORMAT[detected])
        else:
            with path.open("xb") as out:
                for chunk in upload.chunks(_CHUNK):
                    out.write(chunk)
        digest = _sha256(path)
        written = path.stat().st_size
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedFile(
        stored_name=stored_name, original_name=clean_original_name(upload.name or ""),
        content_type=detected.content_type, size_bytes=written, sha256=digest,
        metadata_removed=detected.is_image,
    )


def _write_image_without_metadata(upload: UploadedFile, path: Path, fmt: str) -> None:
    """Re-encode the pixels only: EXIF (with any GPS position), XMP and text chunks go."""
    try:
        with Image.open(upload) as image:
            image.load()
            # The orientation tag goes with the rest of EXIF, so turn the pixels upright first.
            upright = ImageOps.exif_transpose(image)
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
            with path.open("xb") as out:
                clean.save(out, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        path.unlink(missing_ok=True)
        raise UploadRefused(
            _("This image could not be read. Take the photo again or send it as a PDF.")
        ) from None


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
    """Remove staged files, wherever they are (staging folder or final place)."""
    for staged in files:
        staged.staged_path.unlink(missing_ok=True)
        staged.final_path.unlink(missing_ok=True)
