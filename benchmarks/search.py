"""Case search (issue 16) at scale: SQLite, PostgreSQL with and without the trigram index.

Builds a throwaway database with N synthetic cases (default 20,000; ``--cases``): children
and guardians named in Latin (some accented), Arabic (with hamza, ta marbuta, "ال"),
Cyrillic and Chinese script, guardians' e-mails and telephone numbers, and each case's
``search_text`` computed by ``stride.core.search_text.search_document`` exactly as
``patients.services.refresh_search_text`` computes it (rows bulk-inserted for speed). One
coordinator is on the care team of every case, so ``cases_visible_to`` returns them all.

Times 200 searches of each kind — part of an Arabic name, a Latin surname prefix, a case
reference, a telephone number's digits as typed nationally (trunk ``0``, spaces), an
e-mail address — as the dashboard runs them: ``search_cases(cases_visible_to(user),
parse_query(text))`` evaluated by ``dashboard_groups`` (one query, rows with the child).
Prints p50 and p95 in milliseconds and the mean number of cases found, on:

* SQLite (a temporary file; ``LIKE '%…%'`` reads the column of every visible case);
* PostgreSQL (``scripts/with-postgres.sh`` gives a throwaway cluster), with the pg_trgm GIN
  index of migration ``patients/0004``, then with the index dropped: the index's ratio.

Goal: the index's ratio on PostgreSQL, and that a search stays a small part of a page's
time (``pages.py``); issue 16 set no figure. Printed, never asserted. All data are synthetic.

Run: ``.venv/bin/python benchmarks/search.py [--cases N]`` (``make benchmarks`` runs it);
it runs itself once per database in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEARCHES = 200
SEED = 16
BATCH = 2000

LATIN_GIVEN = ("Ivan", "Maria", "Georgi", "Elena", "José", "Zoë", "Søren", "Łucja", "Émile",
               "Anna", "Peter", "Nikola", "Sofia", "Lukas", "Chloé", "Mateo", "Inès", "Jan")
LATIN_STEMS = ("Ivan", "Petr", "Georgi", "Dimitr", "Nikol", "Stoyan", "Marin", "Kolev", "Vasil",
               "Todor", "Hristo", "Angel", "Borisl", "Zhelyaz", "Radk", "Milen", "Stefan",
               "Pavl", "Yordan", "Lyuben", "Müll", "Schmid", "Dubois", "Rossi", "Novák")
LATIN_ENDINGS = ("ov", "ova", "ev", "eva", "ski", "ska", "ović", "escu", "ini", "sen")
ARABIC_GIVEN = ("أحمد", "محمد", "فاطمة", "عائشة", "يوسف", "مريم", "علي", "زينب", "إبراهيم",
                "خديجة", "عمر", "ليلى", "حسن", "نور", "سارة", "خالد", "مصطفى", "هدى")
ARABIC_ROOTS = ("هاشمي", "زهراني", "قحطاني", "شمري", "عتيبي", "حربي", "مطيري", "دوسري",
                "غامدي", "شهري", "سبيعي", "عنزي", "رشيدي", "بلوشي", "كعبي", "نعيمي", "مهيري",
                "ظاهري", "سويدي", "منصوري", "خزرجي", "أنصاري", "بكري", "تميمي", "جبوري")
ARABIC_FAMILY_FORMS = ("ال{}", "آل {}", "{}", "بن {}")
CYRILLIC_GIVEN = ("Иван", "Мария", "Георги", "Елена", "Дмитрий", "Анна", "Йордан", "Пётр",
                  "Наталья", "Алексей", "Ольга", "Светлана", "Никола", "Борис")
CYRILLIC_STEMS = ("Иван", "Петр", "Георги", "Димитр", "Никол", "Стоян", "Марин", "Колев",
                  "Васил", "Тодор", "Христ", "Ангел", "Смирн", "Кузнец", "Попов", "Соколов")
CYRILLIC_ENDINGS = ("ов", "ова", "ев", "ева", "ски", "ска", "ин", "ина")
CHINESE_FAMILY = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
                  "朱", "胡", "郭", "何", "高", "林", "罗")
CHINESE_GIVEN = ("丽", "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰",
                 "涛", "明", "超", "秀英", "华", "平", "刚", "桂英", "玉兰", "子涵", "浩然")
COUNTRY_CODES = ("359", "7", "966", "971", "86", "49", "20", "44")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _person(rng: random.Random, script: str) -> tuple[str, str]:
    """A synthetic (given name, family name) in ``script``."""
    if script == "latin":
        return rng.choice(LATIN_GIVEN), rng.choice(LATIN_STEMS) + rng.choice(LATIN_ENDINGS)
    if script == "arabic":
        form = rng.choice(ARABIC_FAMILY_FORMS)
        return rng.choice(ARABIC_GIVEN), form.format(rng.choice(ARABIC_ROOTS))
    if script == "cyrillic":
        return rng.choice(CYRILLIC_GIVEN), rng.choice(CYRILLIC_STEMS) + rng.choice(CYRILLIC_ENDINGS)
    return "".join(rng.sample(CHINESE_GIVEN, rng.choice((1, 2)))), rng.choice(CHINESE_FAMILY)


def _build(total: int, rng: random.Random) -> tuple[Any, dict[str, list[str]]]:
    """Create the coordinator and ``total`` cases; return the user and the typed queries."""
    from django.db import transaction

    from stride.core.roles import Role
    from stride.core.search_text import search_document
    from stride.web.accounts.models import User
    from stride.web.patients.models import CareTeamMembership, Case, Guardian, Patient

    user = User(username="bench-search-coordinator", role=Role.COORDINATOR.value,
                first_name="Bench", last_name="Coordinator")
    user.set_unusable_password()
    user.save()
    queries: dict[str, list[str]] = {kind: [] for kind in
                                     ("Arabic name part", "Latin surname prefix", "reference",
                                      "phone digits", "e-mail")}
    scripts = ("latin", "arabic", "cyrillic", "chinese")
    for start in range(0, total, BATCH):
        numbers = range(start, min(total, start + BATCH))
        with transaction.atomic():
            children = []
            for number in numbers:
                given, family = _person(rng, scripts[number % len(scripts)])
                children.append(Patient(
                    given_name=given, family_name=family,
                    date_of_birth=date(2012, 1, 1) + timedelta(days=rng.randrange(4000)),
                    sex=rng.choice(("female", "male")), country="BG", languages=["en"],
                    is_synthetic=True))
            Patient.objects.bulk_create(children)
            if any(child.pk is None for child in children):  # back-ends without RETURNING
                last = list(Patient.objects.order_by("-id")[:len(children)])[::-1]
                for child, stored in zip(children, last, strict=True):
                    child.pk = stored.pk
            guardians: list[Guardian] = []
            cases: list[Case] = []
            for number, child in zip(numbers, children, strict=True):
                script = scripts[number % len(scripts)]
                own = []
                for index in range(rng.choice((1, 2))):
                    given, _family = _person(rng, script)
                    national = f"{rng.randrange(10**8, 10**9)}"
                    own.append(Guardian(
                        patient=child, given_name=given, family_name=child.family_name,
                        relationship=("mother", "father")[index], preferred_language="en",
                        email=f"guardian.{number}.{index}@example.invalid",
                        phone=f"+{rng.choice(COUNTRY_CODES)} {national[:3]} {national[3:6]} "
                              f"{national[6:]}"))
                guardians += own
                reference = f"SDR-{2020 + number % 7}-{number:06d}"
                # The same document refresh_search_text stores (names, reference, e-mails,
                # telephones, date of birth), by the same core function.
                text = search_document(
                    names=(f"{child.given_name} {child.family_name}",
                           f"{child.family_name} {child.given_name}",
                           *(f"{g.given_name} {g.family_name}" for g in own)),
                    reference=reference, emails=[g.email for g in own if g.email],
                    phones=[g.phone for g in own if g.phone], date_of_birth=child.date_of_birth)
                cases.append(Case(patient=child, reference=reference, programme="sdr",
                                  search_text=text))
                if script == "arabic":
                    word = rng.choice([w for w in child.family_name.split() if len(w) >= 4]
                                      or [child.family_name])
                    begin = rng.randrange(max(1, len(word) - 3))
                    queries["Arabic name part"].append(word[begin:begin + 4])
                if script == "latin":
                    queries["Latin surname prefix"].append(child.family_name[:5])
                queries["reference"].append(reference)
                phone = rng.choice(own).phone.split(" ", 1)[1]
                queries["phone digits"].append("0" + phone)  # as typed at home: trunk 0
                queries["e-mail"].append(rng.choice(own).email)
            Guardian.objects.bulk_create(guardians)
            Case.objects.bulk_create(cases)
    case_ids = Case.objects.values_list("id", flat=True)
    for start in range(0, total, BATCH * 5):
        CareTeamMembership.objects.bulk_create(
            CareTeamMembership(case_id=case_id, user=user)
            for case_id in case_ids.order_by("id")[start:start + BATCH * 5])
    return user, {kind: [rng.choice(typed) for _ in range(SEARCHES)]
                  for kind, typed in queries.items()}


def _measure(search: Callable[[str], int], queries: dict[str, list[str]],
             ) -> dict[str, dict[str, float]]:
    figures = {}
    for kind, typed in queries.items():
        search(typed[0])  # warm-up, untimed
        timings, found = [], []
        for text in typed:
            started = time.perf_counter()
            found.append(search(text))
            timings.append((time.perf_counter() - started) * 1000)
        figures[kind] = {"p50": statistics.median(timings), "p95": _percentile(timings, 0.95),
                         "found": statistics.mean(found), "missed": sum(n == 0 for n in found)}
        print(f"  {kind:22} p50 {figures[kind]['p50']:7.2f} ms, "
              f"p95 {figures[kind]['p95']:7.2f} ms over {len(typed)} searches; "
              f"{figures[kind]['found']:.1f} cases found on average"
              + (f", {figures[kind]['missed']} found none" if figures[kind]["missed"] else ""))
    return figures


def run(database: str, total: int, figures_path: Path) -> None:
    """Build the database, time the searches, write the figures to ``figures_path``."""
    os.environ["STRIDE_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "stride.web.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from stride.core.search_text import parse_query
    from stride.web.patients import selectors
    from stride.web.patients.access import cases_visible_to

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    user, queries = _build(total, random.Random(SEED))
    with connection.cursor() as cursor:
        # On PostgreSQL VACUUM too, as autovacuum would after such a load: the GIN index's
        # statistics (its metapage) are only brought up to date by VACUUM, and the planner
        # costs the index from them (with the empty-table figures it never chooses it).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{database}: {total:,} synthetic cases built in {time.perf_counter() - started:.1f} s")

    def search(text: str) -> int:
        cases = selectors.search_cases(cases_visible_to(user), parse_query(text))
        return sum(len(group.cases) for group in selectors.dashboard_groups(cases))

    results: dict[str, Any] = {}
    if connection.vendor == "postgresql":
        from stride.web.patients.models import Case

        using = [kind for kind, typed in queries.items() if "case_search_text_trgm" in
                 selectors.search_cases(cases_visible_to(user), parse_query(typed[0]))
                 .select_related("patient").explain()]
        print(f"  the planner uses the trigram index for: {', '.join(using) or 'none'} "
              f"(first search of each kind)")
        results["with index"] = _measure(search, queries)
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX case_search_text_trgm")
            cursor.execute("ANALYZE patients_case")
        print(f"{database} without the trigram index ({Case.objects.count():,} cases):")
        results["without index"] = _measure(search, queries)
    else:
        results["no index"] = _measure(search, queries)
    figures_path.write_text(json.dumps(results))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="synthetic cases (20,000)")
    parser.add_argument("--only", choices=("sqlite", "postgres"),
                        help="(internal) one database, in this process")
    parser.add_argument("--figures", type=Path, help="(internal) where --only writes figures")
    args = parser.parse_args()
    if args.only == "postgres":
        run("PostgreSQL", args.cases, args.figures)
        return 0
    if args.only == "sqlite":
        run("SQLite", args.cases, args.figures)
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="stride-search-bench-"))
    try:
        env = {**os.environ, "STRIDE_ENV": "test",
               "DATABASE_URL": f"sqlite:///{workdir / 'search.sqlite3'}"}
        me = [sys.executable, str(Path(__file__).resolve()), "--cases", str(args.cases)]
        subprocess.run([*me, "--only", "sqlite", "--figures", str(workdir / "sqlite.json")],  # noqa: S603
                       env=env, cwd=ROOT, check=True)
        env.pop("DATABASE_URL")
        subprocess.run([str(ROOT / "scripts" / "with-postgres.sh"), *me, "--only", "postgres",  # noqa: S603
                        "--figures", str(workdir / "postgres.json")], env=env, cwd=ROOT,
                       check=True)
        sqlite = json.loads((workdir / "sqlite.json").read_text())["no index"]
        postgres = json.loads((workdir / "postgres.json").read_text())
        indexed, plain = postgres["with index"], postgres["without index"]
        print(f"\nratios at {args.cases:,} cases (p50; p95 in brackets):")
        for kind in sqlite:
            print(f"  {kind:22} PostgreSQL without / with the trigram index "
                  f"{plain[kind]['p50'] / indexed[kind]['p50']:5.1f}x "
                  f"({plain[kind]['p95'] / indexed[kind]['p95']:.1f}x); "
                  f"SQLite / PostgreSQL with index "
                  f"{sqlite[kind]['p50'] / indexed[kind]['p50']:5.1f}x "
                  f"({sqlite[kind]['p95'] / indexed[kind]['p95']:.1f}x)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
