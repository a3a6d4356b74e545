"""Server-side time of the staff pages over the demo cohort.

Builds a throwaway SQLite database with the 200-child synthetic demo cohort, signs in as
the demo coordinator and requests the dashboard and case pages through Django's in-process
client, so the figures include URL routing, the access check, the audit writes and
template rendering, but no network. Prints median and p95 in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 60


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="stride-bench-")
    os.environ["STRIDE_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stride.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from stride.web.accounts.models import User
    from stride.web.demo.loader import load_demo
    from stride.web.patients.models import Case

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo()
    print(f"demo load (200 children, through the services): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")

    user = User.objects.get(username="demo-coordinator")
    client = Client()
    client.force_login(user)
    case_ids = list(Case.objects.filter(memberships__user=user).values_list("id", flat=True))
    targets = {
        f"dashboard ({len(case_ids)} cases)": [reverse("patients:dashboard")],
        "case page": [reverse("patients:case", args=[pk]) for pk in case_ids],
    }
    for name, urls in targets.items():
        client.get(urls[0])  # warm caches and templates
        timings = []
        for index in range(ROUNDS):
            url = urls[index % len(urls)]
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            if response.status_code != 200:
                print(f"{name}: unexpected status {response.status_code}")
                return 1
        print(f"{name}: median {statistics.median(timings):.1f} ms, "
              f"p95 {_percentile(timings, 0.95):.1f} ms over {ROUNDS} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
