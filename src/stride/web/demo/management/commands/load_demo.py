"""``manage.py load_demo``: load the synthetic demo data and print one login per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from stride.web.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_REGISTRY_CHILDREN, load_demo


class Command(BaseCommand):
    help = "Load the synthetic demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=200,
                            help="number of synthetic children (default 200)")
        parser.add_argument("--registry-children", type=int, default=DEMO_REGISTRY_CHILDREN,
                            help="number of synthetic registry children, loaded once "
                                 f"(default {DEMO_REGISTRY_CHILDREN:,})")

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_demo(children=options["children"],
                           registry_children=options["registry_children"])
        self.stdout.write(
            f"Demo data: {report.children_created} synthetic children created, "
            f"{report.children_total} in all; {report.accounts_created} accounts created; "
            f"{report.registry_children_created} synthetic registry children created; "
            f"{report.rootlet_sessions_created} operating-room rootlet sessions created."
        )
        self.stdout.write("Demo logins (synthetic data only), password for each: "
                          f"{DEMO_PASSWORD}")
        for username, role, _first, _last in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.value:<12} {username}")
