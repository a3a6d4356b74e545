"""Tiny, valid, synthetic files for upload tests (made in memory; no real patient data)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

from PIL import Image

#: A minimal PDF: header, one empty page, trailer.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")

#: The start of an MP4 file: an ``ftyp`` box (brand isom) and an empty ``mdat`` box.
MP4 = (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
       b"\x00\x00\x00\x08mdat")

#: The start of a WebM file: an EBML header naming the webm doctype.
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm\x42\x87\x81\x02"

GPS_IFD = 0x8825
CAMERA_MODEL = 0x0110


def jpeg_with_gps() -> bytes:
    """Return a small JPEG whose EXIF names a camera and holds a GPS position."""
    image = Image.new("RGB", (16, 16), (200, 30, 30))
    exif = Image.Exif()
    exif[CAMERA_MODEL] = "SyntheticCam"
    exif[GPS_IFD] = {1: "N", 2: (42.0, 41.0, 0.0), 3: "E", 4: (23.0, 19.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    """Return a small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def pdf_text(pdf: Path | bytes) -> str:
    """The text of a PDF as Debian's ``pdftotext`` reads it (a file, or its bytes)."""
    program = shutil.which("pdftotext")
    assert program is not None, "pdftotext not found: run scripts/install-system-deps.sh"
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run([program, "-", "-"], input=data, check=True,  # noqa: S603
                          capture_output=True).stdout.decode()
