"""What a file really is: structure checks on untrusted bytes, before any decoding.

:mod:`.uploads` knows a file's claimed type from its first bytes; this module checks that the
rest agrees, and makes the copy that is kept:

* **Images** (JPEG, PNG): the width and height are read from the header (PNG's ``IHDR``,
  JPEG's frame header) and an image above the pixel cap is refused before a single pixel is
  decoded. Then the structure is walked to the end (every PNG chunk and its CRC up to
  ``IEND``; JPEG segments and scans up to ``EOI``), so a truncated file is refused whatever
  Pillow's process-wide ``LOAD_TRUNCATED_IMAGES`` says (WeasyPrint turns it on). Only then
  are the pixels decoded, once, turned upright, and re-encoded without any metadata.
* **PDF**: the header names a PDF version and the end-of-file marker is there (a truncated
  PDF lacks it).
* **Videos** (MP4, MOV, WebM, Matroska): the container's top level is walked (ISO base
  media boxes must tile the file exactly; an EBML header must name the doctype its first
  bytes claimed and its segment must fit in the file); ``ffprobe`` (Debian's ffmpeg) lists
  the streams; ``ffmpeg`` copies the picture and sound streams only (no data tracks, cover
  pictures, chapters or metadata: no ``udta/©xyz`` location, no Apple location keys) into a
  new container, stopping at the first error; ``ffprobe`` then counts the copy's packets.
  The tools run without a shell, with a fixed demuxer (never a guessed one: no playlists),
  local files only, a small environment and a time limit.

Every check either returns or raises :class:`MediaRefused` with a :class:`Reason`; damaged
input never raises anything else (the fuzz tests in ``tests/web/platform`` hold this).
Errors of the machine itself (a full disk) are not refusals and propagate.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import time
import types
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from PIL import Image, ImageFile, ImageOps

_CHUNK = 1024 * 1024


class Reason(StrEnum):
    """Why a file was refused."""

    DAMAGED = "damaged"  # truncated, corrupt, or not what its first bytes claim
    TOO_MANY_PIXELS = "too-many-pixels"
    NO_PICTURE = "no-picture"  # a container without a video stream we can keep
    CHECK_UNAVAILABLE = "check-unavailable"  # ffmpeg missing, or the check ran out of time


class MediaRefused(Exception):
    """A file failed its check; ``reason`` says why, ``detail`` is for the log only."""

    def __init__(self, reason: Reason, detail: str = "", *, width: int = 0,
                 height: int = 0) -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail
        self.width = width
        self.height = height


def _damaged(detail: str) -> MediaRefused:
    return MediaRefused(Reason.DAMAGED, detail)


def _read_exactly(fp: IO[bytes], count: int) -> bytes:
    data = fp.read(count)
    if len(data) != count:
        raise _damaged("the file ends early")
    return data


# ------------------------------------------------------------------------------- images


@dataclass(frozen=True, slots=True)
class ImageSize:
    """Width and height as the file's header states them."""

    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Allowed (colour type: bit depths) pairs of the PNG specification.
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
#: Most chunks walked in one PNG: far above any real encoder (8 KB IDAT chunks of a
#: 100 MB file are 12,500), low enough that a file of empty chunks ends quickly.
_PNG_MAX_CHUNKS = 200_000
_PNG_MAX_CHUNK_LENGTH = 2**31 - 1


def png_size(fp: IO[bytes]) -> ImageSize:
    """Return the size in a PNG's ``IHDR`` (its first chunk): 33 bytes read, nothing decoded."""
    fp.seek(0)
    if _read_exactly(fp, 8) != _PNG_SIGNATURE:
        raise _damaged("not a PNG signature")
    length, ctype = struct.unpack(">I4s", _read_exactly(fp, 8))
    if ctype != b"IHDR" or length != 13:
        raise _damaged("the first PNG chunk is not IHDR")
    data = _read_exactly(fp, 13)
    (crc,) = struct.unpack(">I", _read_exactly(fp, 4))
    if zlib.crc32(ctype + data) != crc:
        raise _damaged("IHDR checksum")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", data)
    if not (0 < width <= _PNG_MAX_CHUNK_LENGTH and 0 < height <= _PNG_MAX_CHUNK_LENGTH):
        raise _damaged("PNG size")
    if depth not in _PNG_DEPTHS.get(colour, set()) or compression or filtering \
            or interlace > 1:
        raise _damaged("PNG header fields")
    return ImageSize(width, height)


def check_png_structure(fp: IO[bytes]) -> None:
    """Walk every chunk up to ``IEND``, checking each CRC: a truncated PNG ends early."""
    fp.seek(len(_PNG_SIGNATURE))
    seen_data = False
    for index in range(_PNG_MAX_CHUNKS):
        length, ctype = struct.unpack(">I4s", _read_exactly(fp, 8))
        if length > _PNG_MAX_CHUNK_LENGTH or not ctype.isalpha():
            raise _damaged("PNG chunk header")
        if (index == 0) != (ctype == b"IHDR"):
            raise _damaged("IHDR is not the first chunk, or appears twice")
        crc = zlib.crc32(ctype)
        left = length
        while left:
            piece = _read_exactly(fp, min(left, _CHUNK))
            crc = zlib.crc32(piece, crc)
            left -= len(piece)
        (stated,) = struct.unpack(">I", _read_exactly(fp, 4))
        if crc != stated:
            raise _damaged(f"PNG chunk {ctype!r} checksum")
        seen_data = seen_data or ctype == b"IDAT"
        if ctype == b"IEND":
            if not seen_data:
                raise _damaged("PNG without image data")
            return  # bytes after IEND are ignored: only the re-encoded pixels are kept
    raise _damaged("too many PNG chunks")


#: Frame headers (SOFn) carry the size; DHT (C4), JPG (C8) and DAC (CC) share the range.
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                       0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length
_JPEG_SOI, _JPEG_EOI, _JPEG_SOS = 0xD8, 0xD9, 0xDA
#: Segments read before the first scan: real files have a few dozen.
_JPEG_MAX_SEGMENTS = 1000


def _jpeg_marker(fp: IO[bytes]) -> int:
    """Read the next marker (0xFF, optional 0xFF fill bytes, the code) at the position."""
    if _read_exactly(fp, 1) != b"\xff":
        raise _damaged("JPEG marker expected")
    for _fill in range(64):
        code = _read_exactly(fp, 1)[0]
        if code != 0xFF:
            return code
    raise _damaged("JPEG fill bytes")


def jpeg_size(fp: IO[bytes]) -> tuple[ImageSize, int]:
    """Return the size in a JPEG's frame header, and where its first scan's data begins.

    Walks the segments from ``SOI`` to the first ``SOS`` by their lengths (the EXIF
    thumbnail inside APP1 is skipped whole); nothing is decoded.
    """
    fp.seek(0)
    if _read_exactly(fp, 2) != b"\xff\xd8":
        raise _damaged("not a JPEG start")
    size: ImageSize | None = None
    for _segment in range(_JPEG_MAX_SEGMENTS):
        code = _jpeg_marker(fp)
        if code in _JPEG_STANDALONE:
            continue
        if code in (_JPEG_SOI, _JPEG_EOI, 0x00):
            raise _damaged("JPEG marker out of place")
        (length,) = struct.unpack(">H", _read_exactly(fp, 2))
        if length < 2:
            raise _damaged("JPEG segment length")
        body = length - 2
        if code in _JPEG_SOF:
            if size is not None or body < 6:
                raise _damaged("JPEG frame header")
            _precision, height, width = struct.unpack(">BHH", _read_exactly(fp, 5))
            if width == 0 or height == 0:
                raise _damaged("JPEG size (a DNL height is not accepted)")
            size = ImageSize(width, height)
            body -= 5
        if code == _JPEG_SOS:
            if size is None:
                raise _damaged("JPEG scan before its frame header")
            _read_exactly(fp, body)
            return size, fp.tell()
        fp.seek(body, os.SEEK_CUR)  # past the end: the next read finds the file short
    raise _damaged("too many JPEG segments")


def check_jpeg_structure(fp: IO[bytes], scan_start: int) -> None:
    """Follow the scans from ``scan_start`` to the ``EOI`` marker: a truncated JPEG has none.

    Inside entropy-coded data a 0xFF byte is followed by 0x00 (stuffing), a restart marker
    or fill; any other marker with a length (DHT, SOS of the next progressive scan, ...) is
    skipped by that length, so bytes inside a table are never taken for ``EOI``. Bytes
    after ``EOI`` (a phone's appended motion clip) are ignored: only the pixels are kept.
    """
    fp.seek(scan_start)
    base = scan_start  # file offset of buf[0]
    buf = b""
    at = 0
    while True:
        found = buf.find(b"\xff", at)
        if found < 0 or found + 4 > len(buf):
            keep = buf[found:] if found >= 0 else b""
            base += len(buf) - len(keep)
            more = fp.read(_CHUNK)
            if not more:
                if keep[:2] == b"\xff\xd9":
                    return
                raise _damaged("the JPEG ends before its EOI marker")
            buf, at = keep + more, 0
            continue
        code = buf[found + 1]
        if code in (0x00, 0xFF) or 0xD0 <= code <= 0xD7:
            at = found + 1
            continue
        if code == _JPEG_EOI:
            return
        if code in (_JPEG_SOI, 0x01):
            raise _damaged("JPEG marker out of place")
        (length,) = struct.unpack(">H", buf[found + 2:found + 4])
        if length < 2:
            raise _damaged("JPEG segment length")
        end = found + 2 + length
        if end <= len(buf):
            at = end
        else:  # the segment runs past what is read: continue after it
            fp.seek(base + end)
            base += end
            buf, at = b"", 0


def _strict_pillow_load() -> Callable[[ImageFile.ImageFile], Any]:
    """Pillow's own ``ImageFile.load``, run as if ``LOAD_TRUNCATED_IMAGES`` were off.

    WeasyPrint turns ``ImageFile.LOAD_TRUNCATED_IMAGES`` on for the whole process when it is
    imported; Pillow then ignores every decoder error (pixel data that is HTML, a broken
    table) and keeps a grey or black image. Setting the flag back would race with other
    threads, so the decoder loop runs here from a copy of Pillow's function whose globals
    hold the flag off: Pillow's exact code, strict, and nothing shared is changed.
    """
    load = ImageFile.ImageFile.load
    namespace = {**vars(ImageFile), "LOAD_TRUNCATED_IMAGES": False}
    return types.FunctionType(load.__code__, namespace, load.__name__, load.__defaults__,
                              load.__closure__)


_strict_load = _strict_pillow_load()


def image_size(fp: IO[bytes], pillow_format: str) -> tuple[ImageSize, int]:
    """Return the stated size of a JPEG or PNG (and, for JPEG, where its scans begin)."""
    if pillow_format == "PNG":
        return png_size(fp), 0
    return jpeg_size(fp)


def write_image_without_metadata(fp: IO[bytes], out: IO[bytes], pillow_format: str, *,
                                 max_pixels: int) -> ImageSize:
    """Check an image and write its pixels alone (no EXIF, GPS, XMP, ICC, text) to ``out``.

    The pixel cap is applied to the header's size before anything is decoded. The pixels
    are decoded once and re-encoded from that one image, never copied; only a photo taken
    sideways is turned upright (its rotated pixels replace the decoded ones, and the
    orientation tag goes with the rest of EXIF).

    Raises
    ------
    MediaRefused
        ``TOO_MANY_PIXELS`` above ``max_pixels``; ``DAMAGED`` if the structure is broken,
        truncated, or Pillow cannot decode it as ``pillow_format``.
    """
    size, scan_start = image_size(fp, pillow_format)
    if size.pixels > max_pixels:
        raise MediaRefused(Reason.TOO_MANY_PIXELS, f"{size.width}x{size.height}",
                           width=size.width, height=size.height)
    if pillow_format == "PNG":
        check_png_structure(fp)
    else:
        check_jpeg_structure(fp, scan_start)
    fp.seek(0)
    try:
        with Image.open(fp, formats=[pillow_format]) as image:
            if image.size != (size.width, size.height):
                raise _damaged("Pillow reads another size than the header states")
            _strict_load(image)  # the one decode; errors raise whatever the process flag
            ImageOps.exif_transpose(image, in_place=True)
            # Keep what the pixels need (a palette's transparent index), nothing else.
            kept: dict[str | tuple[int, int], Any] = (
                {"transparency": image.info["transparency"]}
                if pillow_format == "PNG" and "transparency" in image.info else {})
            image.info = kept
            image.save(out, format=pillow_format,
                       **({"quality": 92} if pillow_format == "JPEG" else {}))
    except MediaRefused:
        raise
    except OSError as error:
        if error.errno is not None:  # the machine (disk full), not the image
            raise
        raise _damaged(f"Pillow: {error}") from None
    except Exception as error:  # any other failure of a decoder on untrusted bytes
        raise _damaged(f"Pillow: {type(error).__name__}: {error}") from None
    return size


# ---------------------------------------------------------------------------------- PDF

_PDF_HEADER = re.compile(rb"%PDF-[12]\.[0-9]")
#: Readers look for the end-of-file marker within the last 1024 bytes.
_PDF_TAIL = 1024


def check_pdf(fp: IO[bytes], size: int) -> None:
    """A PDF names its version in the header and ends with ``%%EOF`` (a truncated one not)."""
    fp.seek(0)
    if not _PDF_HEADER.match(fp.read(8)):
        raise _damaged("PDF header")
    fp.seek(max(0, size - _PDF_TAIL))
    if b"%%EOF" not in fp.read(_PDF_TAIL):
        raise _damaged("the PDF has no end-of-file marker (truncated?)")


# ------------------------------------------------------------------------------- videos


@dataclass(frozen=True, slots=True)
class Container:
    """How a video type is read, written and which codecs its copy may carry."""

    demuxer: str  # ffmpeg's input format, always given (never guessed)
    muxer: str  # ffmpeg's output format
    video_codecs: frozenset[str]
    audio_codecs: frozenset[str]

    @property
    def is_iso_media(self) -> bool:
        return self.demuxer == "mov"


_ISO_VIDEO = frozenset({"h264", "hevc", "mpeg4", "av1", "vp9"})
_ISO_AUDIO = frozenset({"aac", "mp3", "alac"})
MP4_CONTAINER = Container("mov", "mp4", _ISO_VIDEO, _ISO_AUDIO | {"opus"})
MOV_CONTAINER = Container("mov", "mov", _ISO_VIDEO, _ISO_AUDIO)
WEBM_CONTAINER = Container("matroska", "webm", frozenset({"vp8", "vp9", "av1"}),
                           frozenset({"opus", "vorbis"}))
MATROSKA_CONTAINER = Container("matroska", "matroska", _ISO_VIDEO | {"vp8"},
                               frozenset({"aac", "mp3", "opus", "vorbis", "flac"}))

#: Most top-level boxes walked in an MP4/MOV (a fragmented recording has two a fragment).
_ISO_MAX_BOXES = 100_000


def check_iso_media(fp: IO[bytes], size: int) -> None:
    """The top-level boxes of an MP4/MOV tile the file exactly, ``ftyp`` first, with a ``moov``.

    A truncated file's last box runs past the end; a file with anything but boxes after
    them is not an ISO media file.
    """
    position = 0
    types: set[bytes] = set()
    for index in range(_ISO_MAX_BOXES):
        if position == size:
            if b"moov" not in types:
                raise _damaged("no moov box")
            return
        fp.seek(position)
        header = fp.read(8)
        if len(header) < 8:
            raise _damaged("a box header runs past the end")
        box_size, box_type = struct.unpack(">I4s", header)
        header_length = 8
        if box_size == 1:
            large = fp.read(8)
            if len(large) < 8:
                raise _damaged("a box header runs past the end")
            (box_size,) = struct.unpack(">Q", large)
            header_length = 16
        elif box_size == 0:  # "to the end of the file"
            box_size = size - position
        if box_size < header_length or position + box_size > size:
            raise _damaged(f"box {box_type!r} runs past the end of the file (truncated?)")
        if index == 0 and box_type != b"ftyp":
            raise _damaged("the first box is not ftyp")
        types.add(box_type)
        position += box_size
    raise _damaged("too many top-level boxes")


_EBML_HEADER_ID = 0x1A45DFA3
_EBML_DOCTYPE_ID = 0x4282
_SEGMENT_ID = 0x18538067


def _vint(fp: IO[bytes], *, keep_marker: bool) -> tuple[int | None, int]:
    """Read an EBML variable-length integer; ``None`` for an "unknown" size (all ones)."""
    first = _read_exactly(fp, 1)[0]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise _damaged("EBML number")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in _read_exactly(fp, length - 1):
        value = (value << 8) | byte
    if not keep_marker and value == (1 << (7 * length)) - 1:
        return None, length
    return value, length


def check_ebml(fp: IO[bytes], size: int, *, doctype: str) -> None:
    """An EBML header naming ``doctype`` ("webm" or "matroska"), then a segment that fits."""
    fp.seek(0)
    element, _n = _vint(fp, keep_marker=True)
    header_size, _n = _vint(fp, keep_marker=False)
    if element != _EBML_HEADER_ID or header_size is None or header_size > 4096:
        raise _damaged("EBML header")
    header_end = fp.tell() + header_size
    found = ""
    while fp.tell() < header_end:
        child, _n = _vint(fp, keep_marker=True)
        child_size, _n = _vint(fp, keep_marker=False)
        if child_size is None or fp.tell() + child_size > header_end:
            raise _damaged("EBML header element")
        value = _read_exactly(fp, child_size)
        if child == _EBML_DOCTYPE_ID:
            found = value.rstrip(b"\x00").decode("ascii", "replace")
    if found != doctype:
        raise _damaged(f"doctype {found!r} where {doctype!r} was claimed")
    fp.seek(header_end)
    segment, _n = _vint(fp, keep_marker=True)
    segment_size, _n = _vint(fp, keep_marker=False)
    if segment != _SEGMENT_ID:
        raise _damaged("no Matroska segment after the EBML header")
    if segment_size is not None and fp.tell() + segment_size > size:
        raise _damaged("the segment runs past the end of the file (truncated?)")


@dataclass(frozen=True, slots=True)
class VideoTools:
    """Where Debian's ffmpeg and ffprobe are."""

    ffmpeg: str
    ffprobe: str


def find_video_tools() -> VideoTools | None:
    """Return the ffmpeg and ffprobe programs on ``PATH``, or ``None`` if either is missing."""
    ffmpeg, ffprobe = shutil.which("ffmpeg"), shutil.which("ffprobe")
    return VideoTools(ffmpeg, ffprobe) if ffmpeg and ffprobe else None


#: ffmpeg's largest single allocation: far above what a copy needs, far below a bomb.
_FFMPEG_MAX_ALLOC = str(256 * 1024 * 1024)


def _run(arguments: list[str], deadline: float) -> subprocess.CompletedProcess[bytes]:
    left = deadline - time.monotonic()
    if left <= 0:
        raise MediaRefused(Reason.CHECK_UNAVAILABLE, "out of time")
    # A minimal environment: the tools need no secret of the server's.
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    try:
        return subprocess.run(arguments, capture_output=True, timeout=left,  # noqa: S603
                              env=environment, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        raise MediaRefused(Reason.CHECK_UNAVAILABLE, "out of time") from None


def _probe(tools: VideoTools, container: Container, path: Path, entries: str,
           deadline: float, *extra: str) -> dict[str, Any]:
    result = _run([tools.ffprobe, "-hide_banner", "-v", "error", "-protocol_whitelist",
                   "file", "-f", container.demuxer, *extra, "-show_entries", entries,
                   "-of", "json", f"file:{path}"], deadline)
    if result.returncode != 0:
        raise _damaged("ffprobe: " + result.stderr.decode("utf-8", "replace")[-300:])
    try:
        parsed = json.loads(result.stdout)
    except ValueError:
        raise _damaged("ffprobe's answer") from None
    if not isinstance(parsed, dict):
        raise _damaged("ffprobe's answer")
    return parsed


def _streams(probed: dict[str, Any]) -> list[dict[str, Any]]:
    streams = probed.get("streams")
    return [s for s in streams if isinstance(s, dict)] if isinstance(streams, list) else []


def _kept_streams(container: Container, probed: dict[str, Any]) -> list[int]:
    """The picture streams (not cover pictures) and sound streams the copy may carry."""
    video: list[int] = []
    audio: list[int] = []
    for stream in _streams(probed):
        index, codec = stream.get("index"), stream.get("codec_name")
        if not isinstance(index, int):
            continue
        disposition = stream.get("disposition")
        cover = isinstance(disposition, dict) and disposition.get("attached_pic") == 1
        kind = stream.get("codec_type")
        width, height = stream.get("width"), stream.get("height")
        sized = isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0
        if kind == "video" and not cover and codec in container.video_codecs and sized:
            video.append(index)
        elif kind == "audio" and codec in container.audio_codecs:
            audio.append(index)
    if not video:
        raise MediaRefused(Reason.NO_PICTURE, "no video stream that can be kept")
    return video[:4] + audio[:4]


def write_video_without_metadata(source: Path, target: Path, container: Container, *,
                                 timeout_seconds: float,
                                 tools: VideoTools | None = None) -> None:
    """Check the video at ``source`` and write its picture and sound alone to ``target``.

    ``source`` has passed its container's structure check (:func:`check_iso_media` or
    :func:`check_ebml`). ``target`` must not exist; it is removed if the check fails.

    Raises
    ------
    MediaRefused
        ``DAMAGED`` (ffprobe or ffmpeg found an error: truncated, corrupt, not this
        container), ``NO_PICTURE``, or ``CHECK_UNAVAILABLE`` (no ffmpeg, or out of time).
    """
    tools = tools or find_video_tools()
    if tools is None:
        raise MediaRefused(Reason.CHECK_UNAVAILABLE, "ffmpeg and ffprobe are not installed")
    deadline = time.monotonic() + timeout_seconds
    try:
        probed = _probe(tools, container, source,
                        "stream=index,codec_type,codec_name,width,height"
                        ":stream_disposition=attached_pic", deadline)
        maps: list[str] = []
        for index in _kept_streams(container, probed):
            maps += ["-map", f"0:{index}"]
        copied = _run([
            tools.ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "error", "-xerror",
            "-max_alloc", _FFMPEG_MAX_ALLOC,
            "-protocol_whitelist", "file", "-f", container.demuxer, "-i", f"file:{source}",
            *maps, "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            *(["-movflags", "+faststart"] if container.muxer in ("mp4", "mov") else []),
            "-f", container.muxer, f"file:{target}",
        ], deadline)
        # -xerror stops at the first error; errors it logs without stopping (a file that
        # "ended prematurely") refuse the video as well.
        if copied.returncode != 0 or copied.stderr.strip():
            raise _damaged("ffmpeg: " + copied.stderr.decode("utf-8", "replace")[-300:])
        counted = _probe(tools, container, target, "stream=nb_read_packets", deadline,
                         "-count_packets", "-select_streams", "v")
        packets = [s.get("nb_read_packets") for s in _streams(counted)]
        if not packets or not all(str(n).isdigit() and int(str(n)) > 0 for n in packets):
            raise MediaRefused(Reason.NO_PICTURE, "the copy has no picture")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
