"""Slots on the patients app's pages that apps on higher floors fill.

The case page and the dashboard are this app's, but part of what they show belongs to apps
above it (the operating-room sessions are ``ionm``'s). Those apps register a panel here
when they load (their ``AppConfig.ready``), as they register event handlers, so this app
never imports them. A page renders the panels in the order they were registered; a panel
returns ``None`` to show nothing.

A case-page panel shows parts of a case whose read the page has audited already; a
dashboard panel lists children, so it audits the rows it shows itself (``record_reads``),
as every list does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from stride.web.accounts.models import User
from stride.web.patients.models import Case


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel: the template that draws it and what it draws (``panel`` in the template)."""

    template: str
    context: Mapping[str, object]


CasePanel = Callable[[User, Case], Panel | None]
DashboardPanel = Callable[[User], Panel | None]

_CASE_PANELS: list[CasePanel] = []
_DASHBOARD_PANELS: list[DashboardPanel] = []


def on_case_page(panel: CasePanel) -> CasePanel:
    """Register the decorated function as a panel of the case page."""
    if panel not in _CASE_PANELS:
        _CASE_PANELS.append(panel)
    return panel


def on_dashboard(panel: DashboardPanel) -> DashboardPanel:
    """Register the decorated function as a panel of the dashboard."""
    if panel not in _DASHBOARD_PANELS:
        _DASHBOARD_PANELS.append(panel)
    return panel


def case_panels(user: User, case: Case) -> list[Panel]:
    """The panels the case page shows ``user`` for ``case``."""
    return [shown for panel in _CASE_PANELS if (shown := panel(user, case)) is not None]


def dashboard_panels(user: User) -> list[Panel]:
    """The panels the dashboard shows ``user``."""
    return [shown for panel in _DASHBOARD_PANELS if (shown := panel(user)) is not None]
