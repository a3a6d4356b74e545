"""The outcomes registry at scale, on PostgreSQL: cohort report, child page, pandas pipeline.

Run it against a throwaway cluster (``make benchmarks`` does)::

    scripts/with-postgres.sh .venv/bin/python benchmarks/registry.py [--children N]

It migrates the database, loads a synthetic registry (``stride registry synth``'s loader;
100,000 children, over a million assessments) unless the database already holds one, and
prints, warm (after one untimed run):

* the full cohort report — every treatment, the untreated comparison group, three horizons,
  the case mix — as the analyst's page computes it (selector + core): right after a write
  (the windows read again from PostgreSQL) and warm (the windows kept in memory until the
  next write), and the page itself through Django's in-process client (routing, audit,
  rendering);
* the child outcome page for children chosen at random, as a clinician on their team;
* the same report computed by a straightforward pandas pipeline over the de-identified
  exports, twice: (a) from the ``assessments`` and ``episodes`` exports, deriving the
  windows-v1 outcome windows itself, and (b) from the ``outcome_windows`` export, the report
  arithmetic only; and the ratios to Stride's report. The pandas figures are checked against
  Stride's (n and mean excess per horizon and arm) so that the two compute the same thing.

Targets (issue 9): report ≤ 2 s, child page ≤ 200 ms, report vs pandas ≥ 5×. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REPORT_ROUNDS = 7
CHILD_PAGES = 40


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timed(action: Callable[[], Any], rounds: int) -> tuple[list[float], Any]:
    """Run ``action`` once untimed (warm-up), then ``rounds`` times; return seconds and result."""
    result = action()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return timings, result


def _line(name: str, seconds: list[float], *, unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    return (f"{name}: median {statistics.median(seconds) * scale:.0f} {unit}, "
            f"p95 {_percentile(seconds, 0.95) * scale:.0f} {unit} over {len(seconds)} runs")


def pandas_windows_from_exports(assessments: Any, episodes: Any, pd: Any, np: Any) -> Any:
    """Derive windows-v1 outcome windows with pandas from the two de-identified exports.

    The straightforward way: join every GMFM-66 of a child to every anchor of that child,
    keep the rows inside each window, take the nearest. Ages are years (days / 365.25).
    """
    from stride.core.registry.windows import (
        BASELINE_LOOKBACK_MONTHS,
        DAYS_PER_MONTH,
        FOLLOW_UP_WINDOWS,
        anchor_kind_of,
    )

    days = 365.25
    gmfm66 = assessments[assessments.instrument == "gmfm66"][
        ["pseudonym", "age_years", "headline", "gmfm66_ci_half_width"]].copy()
    gmfm66["day"] = (gmfm66.age_years * days).round()
    gmfcs = assessments[assessments.instrument == "gmfcs"][["pseudonym", "age_years", "headline"]]
    gmfcs = gmfcs.assign(day=(gmfcs.age_years * days).round()).sort_values("day")

    kinds = {kind: (anchor_kind_of(kind) or None) for kind in episodes.kind.unique()}
    anchors = episodes.assign(anchor_kind=episodes.kind.map(
        lambda kind: None if kinds[kind] is None else kinds[kind].value)).dropna(
        subset=["anchor_kind"])
    anchors = anchors.assign(day=(anchors.age_at_start_years * days).round())[
        ["pseudonym", "anchor_kind", "day"]]
    treated = set(anchors.pseudonym)
    first = gmfm66[~gmfm66.pseudonym.isin(treated)].sort_values("day").groupby(
        "pseudonym", as_index=False).first()
    untreated = first.assign(anchor_kind="untreated")[["pseudonym", "anchor_kind", "day"]]
    anchors = pd.concat([anchors, untreated], ignore_index=True)
    anchors["anchor"] = np.arange(len(anchors))

    level = pd.merge_asof(anchors.sort_values("day"), gmfcs[["pseudonym", "day", "headline"]],
                          on="day", by="pseudonym", direction="backward")
    anchors = anchors.merge(level[["anchor", "headline"]].rename(columns={"headline": "gmfcs"}),
                            on="anchor")

    pairs = anchors.merge(gmfm66, on="pseudonym", suffixes=("", "_m"))
    pairs["offset"] = (pairs.day_m - pairs.day) / DAYS_PER_MONTH
    base = pairs[(pairs.offset <= 0) & (pairs.offset >= -BASELINE_LOOKBACK_MONTHS)]
    base = base.sort_values(["anchor", "offset"]).groupby("anchor").last()[
        ["age_years", "headline", "gmfm66_ci_half_width"]]
    rows = []
    for window in FOLLOW_UP_WINDOWS:
        inside = pairs[(pairs.offset >= window.from_months) & (pairs.offset < window.to_months)]
        inside = inside.assign(distance=(inside.offset - window.horizon_months).abs())
        nearest = inside.sort_values(["anchor", "distance", "offset"]).groupby("anchor").first()[
            ["age_years", "headline", "gmfm66_ci_half_width"]]
        part = anchors.set_index("anchor").join(base, rsuffix="_b").join(
            nearest, lsuffix="_base", rsuffix="_follow")
        part["horizon_months"] = window.horizon_months
        rows.append(part)
    windows = pd.concat(rows)
    return windows.rename(columns={
        "age_years_base": "baseline_age_years", "headline_base": "baseline_score",
        "gmfm66_ci_half_width_base": "baseline_ci_half_width",
        "age_years_follow": "follow_up_age_years", "headline_follow": "follow_up_score",
        "gmfm66_ci_half_width_follow": "follow_up_ci_half_width"}).reset_index(drop=True)


def pandas_report(windows: Any, pd: Any, np: Any) -> dict[tuple[int, str], tuple[int, float]]:
    """Return {(horizon, arm): (n, mean excess)} from outcome windows, with pandas.

    Expected change from the same Shanghai 2012 stable-limit curves (core's function,
    vectorised); share beyond the GMAE error and the 95% CI computed as an analyst would.
    """
    from stride.core.natural_history import expected_change
    from stride.core.natural_history.catalogue import get_reference
    from stride.core.natural_history.sets import DEFAULT_REFERENCE

    usable = windows.dropna(subset=["gmfcs", "baseline_score", "follow_up_score"])
    # The curves are defined up to the reference set's upper age; older windows are left out.
    usable = usable[usable.follow_up_age_years < get_reference(DEFAULT_REFERENCE).max_age_years]
    usable = usable.copy()
    usable["observed"] = usable.follow_up_score - usable.baseline_score
    usable["expected"] = expected_change(usable.gmfcs.astype(int).to_numpy(),
                                         usable.baseline_age_years.to_numpy(),
                                         usable.follow_up_age_years.to_numpy(),
                                         DEFAULT_REFERENCE)
    usable["excess"] = usable.observed - usable.expected
    usable["beyond"] = usable.excess > np.hypot(usable.baseline_ci_half_width,
                                                usable.follow_up_ci_half_width)
    usable["arm"] = np.where(usable.anchor_kind == "untreated", "comparison", "treated")
    summary = usable.groupby(["horizon_months", "arm"]).agg(
        n=("excess", "size"), mean_excess=("excess", "mean"), sd=("excess", "std"),
        observed=("observed", "mean"), expected=("expected", "mean"), beyond=("beyond", "mean"))
    summary["ci"] = 1.96 * summary.sd / np.sqrt(summary.n)
    return {(int(h), str(a)): (int(row.n), float(row.mean_excess))
            for (h, a), row in summary.iterrows()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=100_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("benchmarks/registry.py measures PostgreSQL: run it as "
              "'scripts/with-postgres.sh .venv/bin/python benchmarks/registry.py' "
              "(make benchmarks does).", file=sys.stderr)
        return 2
    os.environ["STRIDE_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stride.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import numpy as np
    import pandas as pd
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from stride.core.natural_history.sets import DEFAULT_REFERENCE
    from stride.core.registry.deidentify import get_table
    from stride.core.registry.report import Arm, build_report
    from stride.core.roles import Role
    from stride.web.accounts.models import User
    from stride.web.evaluation.models import Assessment
    from stride.web.outcomes.export_files import ExportFormat, write
    from stride.web.outcomes.selectors.cohort import ReportFilters, report_columns
    from stride.web.outcomes.selectors.exports import export_columns
    from stride.web.patients.models import CareTeamMembership, Case
    from stride.web.registry.models import OutcomeWindow, RegistryChild
    from stride.web.registry.refresh import stamp_change
    from stride.web.registry.synth import load_synthetic_registry

    call_command("migrate", verbosity=0)
    if RegistryChild.objects.count() < args.children:
        started = time.perf_counter()
        loaded = load_synthetic_registry(children=args.children, seed=1)
        print(f"synthetic registry loaded: {loaded.children:,} children, "
              f"{loaded.assessments:,} assessments, {loaded.episodes:,} episodes, "
              f"{loaded.windows:,} outcome windows in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"database: {RegistryChild.objects.count():,} children, "
          f"{Assessment.objects.count():,} assessments, "
          f"{OutcomeWindow.objects.count():,} outcome windows (PostgreSQL, warm)")

    def stride_report() -> Any:
        columns = report_columns(ReportFilters(comparison=True))
        return build_report(columns, reference=DEFAULT_REFERENCE, comparison=True)

    def after_a_write() -> Any:
        stamp_change()  # what every assessment or episode write does: windows read again
        started = time.perf_counter()
        result = stride_report()
        cold_seconds.append(time.perf_counter() - started)
        return result

    cold_seconds: list[float] = []
    for _ in range(REPORT_ROUNDS):
        after_a_write()
    print(_line("full cohort report right after a write (windows read from PostgreSQL), "
                "selector + core", cold_seconds) + " (target <= 2000 ms)")
    report_seconds, report = _timed(stride_report, REPORT_ROUNDS)
    print(_line("full cohort report, warm (all treatments, comparison group, 3 horizons, "
                "case mix), selector + core", report_seconds) + " (target <= 2000 ms)")

    analyst, _ = User.objects.get_or_create(username="bench-analyst",
                                            defaults={"role": Role.ANALYST.value})
    client = Client()
    client.force_login(analyst)
    page_url = reverse("outcomes:report") + "?comparison=on"
    page_seconds, response = _timed(lambda: client.get(page_url), REPORT_ROUNDS)
    if response.status_code != 200:
        print(f"cohort page answered {response.status_code}", file=sys.stderr)
        return 1
    print(_line("full cohort report page, warm (analyst, in-process client, rendering and "
                "audit)", page_seconds))

    clinician, _ = User.objects.get_or_create(username="bench-clinician",
                                              defaults={"role": Role.CLINICIAN.value})
    rng = np.random.default_rng(7)
    case_ids = list(Case.objects.filter(reference__startswith="SYNREG-")
                    .order_by("id").values_list("id", "patient_id"))
    chosen = [case_ids[i] for i in rng.choice(len(case_ids), CHILD_PAGES, replace=False)]
    for case_id, _patient in chosen:
        CareTeamMembership.objects.get_or_create(case_id=case_id, user=clinician)
    client.force_login(clinician)
    urls = [reverse("outcomes:child", args=[patient]) for _case, patient in chosen]
    client.get(urls[0])
    child_seconds = []
    for url in urls:
        started = time.perf_counter()
        answer = client.get(url)
        child_seconds.append(time.perf_counter() - started)
        if answer.status_code != 200:
            print(f"child page answered {answer.status_code}", file=sys.stderr)
            return 1
    print(_line("child outcome page (clinician on the team, random children)", child_seconds)
          + " (target <= 200 ms)")

    workdir = Path(tempfile.mkdtemp(prefix="stride-registry-bench-"))
    started = time.perf_counter()
    for name in ("assessments", "episodes", "outcome_windows"):
        columns, _rows = export_columns(name)
        (workdir / f"{name}.csv").write_bytes(write(get_table(name), columns, ExportFormat.CSV))
    print(f"exports written as CSV (assessments, episodes, outcome windows): "
          f"{time.perf_counter() - started:.1f} s")

    def from_raw_exports() -> dict[tuple[int, str], tuple[int, float]]:
        assessments = pd.read_csv(workdir / "assessments.csv")
        episodes = pd.read_csv(workdir / "episodes.csv")
        return pandas_report(pandas_windows_from_exports(assessments, episodes, pd, np), pd, np)

    def from_windows_export() -> dict[tuple[int, str], tuple[int, float]]:
        return pandas_report(pd.read_csv(workdir / "outcome_windows.csv"), pd, np)

    stride_median = statistics.median(cold_seconds)
    stride_figures = {}
    for horizon in report.horizons:
        for arm in horizon.arms:
            groups = [g for g in arm.groups if not g.suppressed]
            if groups:
                stride_figures[(horizon.horizon_months, "treated" if arm.arm is Arm.TREATED
                                else "comparison")] = (groups[0].n, groups[0].mean_excess.mean)
    for name, pipeline, rounds in (
            ("pandas over the assessments and episodes exports (windows derived)",
             from_raw_exports, 3),
            ("pandas over the outcome_windows export (report arithmetic only)",
             from_windows_export, REPORT_ROUNDS)):
        seconds, figures = _timed(pipeline, rounds)
        same = all(key in figures and figures[key][0] == n
                   and abs(figures[key][1] - mean) < 1e-6
                   for key, (n, mean) in stride_figures.items())
        print(_line(name, seconds) + f"; pandas / Stride's report after a write: "
              f"{statistics.median(seconds) / stride_median:.1f}x, warm: "
              f"{statistics.median(seconds) / statistics.median(report_seconds):.1f}x "
              f"(target >= 5x); "
              f"same n and mean excess per horizon and arm: {'yes' if same else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
