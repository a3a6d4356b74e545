"""Upload checks: what a decompression bomb, a large photo and a phone video cost the server.

Each case runs in a fresh Python process, so that its memory is its own: the peak resident
memory (Linux ``VmHWM``, reset before the case through ``/proc/self/clear_refs``) minus the
resident memory just before, and the peak of Python's own allocations (``tracemalloc``,
measured in a second run, as it slows Python down). Cases:

* the 169 Mpx PNG (13000 × 13000, a few hundred KB) sent to the public ``/inquiry/`` through
  Django's in-process client (multipart parsing, the upload handler, the form, the 400
  page), alone and three at once (target: refused in under 1 s with under 100 MB extra);
* the same file through :func:`stage`, and through the path it took before (decode in
  full, two copies, re-encode), with the ratios;
* a 24 Mpx photo, accepted: decoded once (peak against the decoded size), and the old path;
* a 10 s 720p phone-like MP4 with a location: ffprobe, ffmpeg's copy without metadata and
  the packet count.

Prints figures and whether the targets are met; never asserts (see README.md).
``--quick`` leaves out the old path on the 169 Mpx PNG (about 1.5 GB and several seconds).
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # the synthetic files live with the tests

MB = 1_000_000
BOMB_SIDE = 13_000


# ------------------------------------------------------------------ measuring (child side)


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _measure(action: Callable[[], Any]) -> dict[str, Any]:
    """Seconds and peak extra resident memory of one run, then Python's allocation peak."""
    action()  # warm: imports, templates, the first ffmpeg start
    reset = _reset_peak()
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - started
    peak_extra = (_status_kb("VmHWM") - before) * 1024 if reset else None
    tracemalloc.start()
    action()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The largest subprocess (ffprobe, ffmpeg) that this process waited for, if any.
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"seconds": seconds, "rss_extra": peak_extra, "traced": traced,
            "tools": tools or None, "outcome": outcome}


def _django(workdir: Path) -> None:
    os.environ.update({
        "STRIDE_ENV": "test", "DJANGO_SETTINGS_MODULE": "stride.web.settings",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "STRIDE_MEDIA_ROOT": str(workdir / "media"),
        "STRIDE_UPLOAD_TEMP_DIR": str(workdir / "tmp"),
        "STRIDE_INQUIRY_MAX_PER_CLIENT": "1000",
    })
    import django

    django.setup()


def _inquiry(file_field: str, name: str, content: bytes) -> dict[str, Any]:
    import uuid

    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "child_given_name": "Synthetic", "child_family_name": "Benchchild",
        "date_of_birth": "2019-05-17", "sex": "female", "country": "BG", "languages": ["bg"],
        "guardian_given_name": "Parent", "guardian_family_name": "Benchchild",
        "relationship": "mother", "email": "bench@test.invalid", "phone": "",
        "preferred_language": "bg", "programme": "sdr", "lay_cp_type": "spastic",
        "gmfcs_estimate": "2", "seizures": "never", "hydrocephalus": "no",
        "treatment_botulinum_toxin": "never", "treatment_orthopaedic_surgery": "never",
        "treatment_sdr": "never", "treatment_baclofen_pump": "never",
        "treatment_cell_therapy": "never", "consent_data_processing": "on",
        "consent_cross_border": "on", "website": "", "token": str(uuid.uuid4()),
        file_field: SimpleUploadedFile(name, content),
    }


def _old_stage_path(content: bytes) -> int:
    """What stage() did with an image before: decode in full, two copies, re-encode."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(content)) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        out = io.BytesIO()
        clean.save(out, format=image.format or "PNG")
    return len(out.getvalue())


def child(case: str, workdir: Path, path: Path) -> dict[str, Any]:
    import warnings

    warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning on the old path
    content = path.read_bytes()
    if case == "old":
        return _measure(lambda: _old_stage_path(content))
    _django(workdir)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from stride.web.platform.uploads import UploadKind, UploadRefused, discard, stage

    def staged(name: str, kind: UploadKind) -> str:
        try:
            discard([stage(SimpleUploadedFile(name, content), kind=kind)])
        except UploadRefused as refused:
            return "refused: " + refused.message
        return "accepted"

    if case == "stage-png":
        return _measure(lambda: staged("bomb.png", UploadKind.DOCUMENT))
    if case == "stage-jpeg":
        return _measure(lambda: staged("photo.jpg", UploadKind.DOCUMENT))
    if case == "stage-video":
        return _measure(lambda: staged("walk.mp4", UploadKind.VIDEO))

    def post(count: int) -> str:
        statuses: list[int] = []

        def one() -> None:
            response = Client().post(reverse("intake:inquiry"),
                                     _inquiry("mri_report", "scan.png", content))
            refused = "This image is 13000 × 13000 pixels" in response.text
            statuses.append(response.status_code if refused else -response.status_code)

        threads = [threading.Thread(target=one) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return f"HTTP {sorted(statuses)} with the pixel message"

    return _measure(lambda: post(3 if case == "inquiry-3" else 1))


# ------------------------------------------------------------------ running (parent side)


def _run_child(case: str, workdir: Path, path: Path) -> dict[str, Any]:
    result = subprocess.run([sys.executable, __file__, "--child", case, str(workdir),  # noqa: S603
                             str(path)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{case} failed:\n{result.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value / MB:,.1f} MB"


def _line(label: str, figures: dict[str, Any]) -> str:
    tools = (f", ffmpeg/ffprobe peak resident {_mb(figures['tools'])}"
             if figures.get("tools") else "")
    return (f"{label}: {figures['seconds']:.4f} s, peak extra resident memory "
            f"{_mb(figures['rss_extra'])}, Python allocations peak {_mb(figures['traced'])}"
            f"{tools}  [{figures['outcome']}]")


def _ratio(old: float | None, new: float | None, floor: float) -> str:
    """``old / new``; a ``new`` below what can be told apart from noise counts as ``floor``."""
    if old is None or new is None:
        return "n/a"
    return f"{old / new:,.0f}×" if new >= floor else f"over {old / floor:,.0f}×"


def main(quick: bool) -> int:
    from PIL import Image
    from tests.web import files

    workdir = Path(tempfile.mkdtemp(prefix="stride-bench-uploads-"))
    bomb = workdir / "bomb.png"
    bomb.write_bytes(files.png_bomb(BOMB_SIDE, BOMB_SIDE, colour=True))
    photo = workdir / "photo.jpg"
    picture = Image.linear_gradient("L").resize((6000, 4000)).convert("RGB")
    picture.save(photo, format="JPEG", quality=90)
    del picture
    video = workdir / "walk.mp4"
    video.write_bytes(_phone_video(workdir))

    _django(workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    decoded = BOMB_SIDE * BOMB_SIDE * 3
    print(f"169 Mpx PNG: {BOMB_SIDE} × {BOMB_SIDE} RGB, {bomb.stat().st_size / 1000:,.0f} KB "
          f"on disk, {decoded / MB:,.0f} MB decoded")
    one = _run_child("inquiry-1", workdir, bomb)
    print("  " + _line("sent to /inquiry/", one))
    met = one["seconds"] < 1 and one["rss_extra"] is not None and one["rss_extra"] < 100 * MB
    print(f"  target (refused in < 1 s with < 100 MB extra): {'met' if met else 'NOT met'}")
    three = _run_child("inquiry-3", workdir, bomb)
    print("  " + _line("three at once to /inquiry/", three))
    new = _run_child("stage-png", workdir, bomb)
    print("  " + _line("stage() alone", new))
    if not quick:
        old = _run_child("old", workdir, bomb)
        print("  " + _line("the old path (decode, two copies, re-encode)", old))
        print(f"  old path / the refused request: time "
              f"{_ratio(old['seconds'], one['seconds'], 0.001)}, resident memory "
              f"{_ratio(old['rss_extra'], one['rss_extra'], MB)}; old path / stage(): time "
              f"{_ratio(old['seconds'], new['seconds'], 0.001)}, resident memory "
              f"{_ratio(old['rss_extra'], new['rss_extra'], MB)}")

    photo_decoded = 6000 * 4000 * 3
    print(f"24 Mpx photo: 6000 × 4000 JPEG, {photo.stat().st_size / 1000:,.0f} KB, "
          f"{photo_decoded / MB:,.0f} MB decoded")
    accepted = _run_child("stage-jpeg", workdir, photo)
    print("  " + _line("stage() (decoded once, re-encoded without metadata)", accepted))
    old_photo = _run_child("old", workdir, photo)
    print("  " + _line("the old path", old_photo))
    if accepted["rss_extra"] is not None:
        print(f"  peak extra / decoded size: stage() {accepted['rss_extra'] / photo_decoded:.2f}, "
              f"old path {old_photo['rss_extra'] / photo_decoded:.2f}")

    print(f"phone-like video: 10 s 1280 × 720 H.264 + AAC MP4 with a location, "
          f"{video.stat().st_size / MB:,.1f} MB")
    checked = _run_child("stage-video", workdir, video)
    print("  " + _line("stage() (ffprobe, ffmpeg copy without metadata, packet count)",
                       checked))
    return 0


def _phone_video(workdir: Path) -> bytes:
    """A 10 s 720p MP4 with a location box, like a phone's (moov last, as ffmpeg writes)."""
    import shutil
    import struct

    program = shutil.which("ffmpeg")
    if program is None:
        raise SystemExit("ffmpeg not found: run scripts/install-system-deps.sh")
    out = workdir / "source.mp4"
    subprocess.run([program, "-v", "error", "-y", "-f", "lavfi", "-i",  # noqa: S603
                    "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=48000", "-t", "10", "-c:v", "libx264",
                    "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out)],
                   check=True)
    data = bytearray(out.read_bytes())
    position = 0
    while True:
        size, kind = struct.unpack(">I4s", data[position:position + 8])
        if kind == b"moov":
            break
        position += size
    location = b"+42.6977+023.3219/"
    xyz = struct.pack(">I4sHH", 12 + len(location), b"\xa9xyz", len(location), 0x15C7) + location
    udta = struct.pack(">I4s", 8 + len(xyz), b"udta") + xyz
    data[position:position + 4] = struct.pack(">I", size + len(udta))
    return bytes(data + udta)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        figures = child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        print(json.dumps({**figures, "outcome": str(figures["outcome"])[:160]}))
        sys.exit(0)
    sys.exit(main(quick="--quick" in sys.argv))
