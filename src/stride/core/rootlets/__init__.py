"""Rootlet engine for selective dorsal rhizotomy (SDR): read, measure, grade, suggest.

Reads SDR stimulation recordings (EDF+ or the CSV folder form; ``../shared/specs/
rootlet-recording.md`` is binding), measures every response, grades it by a named,
versioned rule set, keeps sphincter and possibly motor rootlets out of harm's way, and
suggests; the surgeon decides.

Live use (one stimulation at a time) and whole files share the same two pieces:

* :func:`measure_stimulation` — samples of one stimulation → frozen measurement;
* :func:`summarise_session` — measurements so far → grades, thresholds, flags,
  suggestions with reasons, the per-root-and-side table.

:func:`analyze_recording` runs both over a :class:`Recording` from :func:`read_recording`.
"""

from __future__ import annotations

from stride.core.rootlets.anatomy import RootletId, SideCode, SpinalRoot
from stride.core.rootlets.annotations import Mode, Note, Stimulation, parse_annotation
from stride.core.rootlets.config import (
    CONFIG_VERSION,
    DEFAULT_CONFIG,
    ENGINE_VERSION,
    AnalysisConfig,
    config_from_overrides,
)
from stride.core.rootlets.features import (
    ChannelMeasurement,
    ChannelState,
    Response,
    StimulationMeasurement,
    measure_stimulation,
)
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.grading import DEFAULT_RULE_SET, RULE_SETS, RuleSet, get_rule_set
from stride.core.rootlets.montage import DEFAULT_MONTAGE, Montage, load_montage
from stride.core.rootlets.reading import read_recording
from stride.core.rootlets.recording import Recording, check_stimulations, make_recording
from stride.core.rootlets.report import format_table, session_to_json
from stride.core.rootlets.selection import LevelSummary, RootletFlag, Suggestion
from stride.core.rootlets.session import (
    RootletResult,
    SessionResult,
    analyze_recording,
    summarise_session,
)
from stride.core.rootlets.windows import plan_windows

__all__ = [
    "CONFIG_VERSION",
    "DEFAULT_CONFIG",
    "DEFAULT_MONTAGE",
    "DEFAULT_RULE_SET",
    "ENGINE_VERSION",
    "RULE_SETS",
    "AnalysisConfig",
    "ChannelMeasurement",
    "ChannelState",
    "Grade",
    "LevelSummary",
    "Mode",
    "Montage",
    "Note",
    "Recording",
    "Response",
    "RootletFlag",
    "RootletId",
    "RootletResult",
    "RuleSet",
    "SessionResult",
    "SideCode",
    "SpinalRoot",
    "Stimulation",
    "StimulationMeasurement",
    "Suggestion",
    "analyze_recording",
    "check_stimulations",
    "config_from_overrides",
    "format_table",
    "get_rule_set",
    "load_montage",
    "make_recording",
    "measure_stimulation",
    "parse_annotation",
    "plan_windows",
    "read_recording",
    "session_to_json",
    "summarise_session",
]
