"""The end-of-session PDF report, stored on the case.

It lists the summary per level, every rootlet with its suggestion and the decision taken,
every decision against the suggestion with its reason, the rootlets left undecided, the
stimulations that never arrived, the whole analysis configuration and the engine version.
Printed by the platform's printer from a template, as letters are: the PDF may load no
resource but the print stylesheet, and is stored in ``ionm/reports`` under a random name
that says nothing about the child; it is served only by an access-checked view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from stride.core.rootlets import AnalysisConfig
from stride.web.ionm.models import RootletDecision, RootletSession
from stride.web.ionm.rows import ranges_text
from stride.web.ionm.wording import DECISION_WORDS, SUGGESTION_WORDS, setting_rows
from stride.web.platform.pdf import STYLESHEET_URL, print_pdf

REPORT_FOLDER = "ionm/reports"


@dataclass(frozen=True)
class _Logged:
    """A decision of the log with the words of its codes."""

    row: RootletDecision
    decision_word: str
    suggestion_word: str


def write_report(session: RootletSession, *, rootlets: list[dict[str, object]],
                 missing: list[tuple[int, int]], config: AnalysisConfig) -> str:
    """Print the session's report to a new PDF under MEDIA_ROOT; return its stored name.

    ``rootlets`` are the screen's rows (:func:`stride.web.ionm.rows.rootlet_row`),
    ``missing`` the ranges of sequence numbers never received and ``config`` the session's
    analysis configuration, printed whole.
    """
    decisions = [_Logged(d, str(DECISION_WORDS[d.decision]),
                         str(SUGGESTION_WORDS.get(d.suggestion, d.suggestion)))
                 for d in session.decisions.select_related("decided_by")]
    html = render_to_string("ionm/report.html", {
        "session": session, "case": session.case, "rootlets": rootlets,
        "decisions": decisions,
        "overrides": [item for item in decisions if item.row.against_suggestion],
        "missing_count": sum(last - first + 1 for first, last in missing),
        "missing_text": ranges_text(missing),
        "config_rows": setting_rows(config.as_dict()),
        "printed_at": timezone.now(), "stylesheet_url": STYLESHEET_URL})
    return print_pdf(html, folder=REPORT_FOLDER)
