"""The public face and FHIR (issues 18 and 19) over the demo: what each costs the server.

Builds a throwaway SQLite database with the demo (200 synthetic children and the
1,000-child synthetic registry), then times, through Django's in-process client (routing,
access checks, audit writes and templates included; no network):

* publishing the outcomes snapshot (``publication.services.publish_outcomes``: the
  analysts' report for every filter shown, intervals, suppression with its exact audit),
  against one analysts' report for the same registry: the ratio says what the public
  page's extra work costs;
* the anonymous public pages (``/results/``, ``/stories/``, a published story with its
  registry outcome, ``/contact/``, ``/sitemap.xml``), median and p95;
* FHIR: the demo child's record collected and exported as a Bundle, parsed back
  (``core.fhir.parse_bundle``, every entry validated by fhir.resources), and read by a
  partner system (``Patient/<id>`` and ``$everything``), median and p95, with the
  Bundle's size.

Issues 18 and 19 set no figure: printed, never asserted. All data are synthetic.
Run: ``.venv/bin/python benchmarks/public_face.py`` (``make benchmarks`` runs it).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 40


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time(action: Callable[[], object], rounds: int) -> list[float]:
    action()  # warm caches and templates
    timings = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        action()
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


def _line(name: str, timings: list[float]) -> str:
    return (f"{name}: median {statistics.median(timings):.1f} ms, "
            f"p95 {_percentile(timings, 0.95):.1f} ms over {len(timings)}")


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="stride-bench-")
    os.environ["STRIDE_ENV"] = "test"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stride.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from stride.core.fhir.parse import parse_bundle
    from stride.core.natural_history.sets import DEFAULT_REFERENCE
    from stride.core.registry.report import build_report
    from stride.web.accounts.models import User
    from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
    from stride.web.fhir import services as fhir_services
    from stride.web.fhir.collect import export_bundle_of, fhir_patient_id
    from stride.web.fhir.models import PartnerSystem
    from stride.web.outcomes.selectors.cohort import ReportFilters, report_columns
    from stride.web.patients.models import Case
    from stride.web.publication.services import publish_outcomes
    from stride.web.stories.models import Story

    settings.MEDIA_ROOT = Path(workdir) / "media"
    call_command("migrate", verbosity=0)
    load_demo()

    publish = _time(lambda: publish_outcomes(by="command"), 5)
    report = _time(lambda: build_report(report_columns(ReportFilters()),
                                        reference=DEFAULT_REFERENCE), 5)
    print(_line("publish the outcomes snapshot (1,000-child registry)", publish))
    print(_line("one analysts' report, same registry and filter", report))
    print(f"ratio publish / report: "
          f"{statistics.median(publish) / statistics.median(report):.1f}x")

    reader = Client()
    story = Story.objects.filter(status="published").first()
    pages = {"/results/": reverse("publication:outcomes"),
             "/stories/": reverse("stories:list"),
             "a published story": reverse("stories:detail", args=[story.slug]) if story else "",
             "/contact/": reverse("site:contact"),
             "/sitemap.xml": reverse("sitemap")}
    for name, url in pages.items():
        if not url:
            print(f"{name}: none in the demo")
            continue
        if reader.get(url).status_code != 200:
            print(f"{name}: unexpected status")
            return 1
        print(_line(f"GET {name} (anonymous)", _time(lambda u=url: reader.get(u), ROUNDS)))

    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    bundle = export_bundle_of(case.patient)
    size = len(json.dumps(bundle, ensure_ascii=False).encode())
    print(f"demo child's Bundle: {len(bundle.get('entry', []))} entries, {size / 1024:.0f} KiB")
    print(_line("collect and export the demo child's Bundle",
                _time(lambda: export_bundle_of(case.patient), ROUNDS)))
    print(_line("parse and validate it (fhir.resources)",
                _time(lambda: parse_bundle(bundle), ROUNDS)))

    admin = User.objects.get(username="demo-admin")
    system = PartnerSystem.objects.first()
    if system is None:
        print("no partner system in the demo")
        return 1
    token = fhir_services.issue_new_token(by=admin, system_id=system.pk).token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    partner = Client()
    fhir_id = fhir_patient_id(case.patient_id)
    urls = {"Patient/<id>": reverse("fhir:patient", args=[fhir_id]),
            "Patient/<id>/$everything": reverse("fhir:everything", args=[fhir_id])}
    medians = {}
    for name, url in urls.items():
        if partner.get(url, **auth).status_code != 200:
            print(f"{name}: unexpected status")
            return 1
        # Under the endpoint's limit of 120 reads a minute per system.
        timings = _time(lambda u=url: partner.get(u, **auth), 25)
        medians[name] = statistics.median(timings)
        print(_line(f"GET /fhir/{name} (partner system)", timings))
    print(f"ratio $everything / Patient: "
          f"{medians['Patient/<id>/$everything'] / medians['Patient/<id>']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
