"""The case's stories on the case page (a patients panel slot)."""

from __future__ import annotations

from stride.web.accounts.models import User
from stride.web.patients.access import is_staff_on_case_team
from stride.web.patients.models import Case
from stride.web.patients.panels import Panel, on_case_page
from stride.web.stories.selectors import stories_of_case


@on_case_page
def stories_of_the_case(user: User, case: Case) -> Panel | None:
    """The case's stories and the way to draft one, for its care team (the case's read
    event covers them)."""
    if not is_staff_on_case_team(user, case):
        return None
    return Panel("stories/_case_panel.html", {"stories": list(stories_of_case(case.pk)),
                                              "case": case})
