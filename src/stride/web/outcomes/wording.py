"""Translated labels and sentences for the registry's cohort pages (codes come from core)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stride.core.registry.claims import Reason, ReasonCode
from stride.core.registry.report import NOT_CLASSIFIED, NOT_RECORDED, Arm, GroupBy
from stride.web.platform.numbers import fixed
from stride.web.registry.models import AnchorKind

#: Treatments a report can select (every anchor kind but the comparison group's).
TREATMENT_CHOICES: list[tuple[str, Promise]] = [
    (AnchorKind.SDR.value, gettext_lazy("Selective dorsal rhizotomy")),
    (AnchorKind.CELL_THERAPY.value, gettext_lazy(
        "Cell-therapy course (investigational, trials only)")),
    (AnchorKind.REHABILITATION.value, gettext_lazy("Rehabilitation block")),
    (AnchorKind.BOTULINUM_TOXIN.value, gettext_lazy("Botulinum-toxin injections")),
    (AnchorKind.ORTHOPAEDIC_SURGERY.value, gettext_lazy("Orthopaedic surgery")),
]

#: The SCPE categories of the case-mix table (dyskinetic subtypes joined, as published).
SUBTYPE_CATEGORY_LABELS: Mapping[str, Promise] = {
    "spastic-bilateral": gettext_lazy("Spastic bilateral"),
    "spastic-unilateral": gettext_lazy("Spastic unilateral"),
    "dyskinetic": gettext_lazy("Dyskinetic (dystonic and choreo-athetotic)"),
    "ataxic": gettext_lazy("Ataxic"),
    "non-classifiable": gettext_lazy("Non-classifiable"),
    NOT_RECORDED: gettext_lazy("Subtype not recorded"),
}

#: Recorded SCPE subtypes, for the filter.
SUBTYPE_CHOICES: list[tuple[str, Promise]] = [
    ("spastic-bilateral", gettext_lazy("Spastic bilateral")),
    ("spastic-unilateral", gettext_lazy("Spastic unilateral")),
    ("dyskinetic-dystonic", gettext_lazy("Dyskinetic, dystonic")),
    ("dyskinetic-choreoathetotic", gettext_lazy("Dyskinetic, choreo-athetotic")),
    ("ataxic", gettext_lazy("Ataxic")),
    ("non-classifiable", gettext_lazy("Non-classifiable")),
]

ARM_LABELS: Mapping[Arm, Promise] = {
    Arm.TREATED: gettext_lazy("Treated"),
    Arm.COMPARISON: gettext_lazy("Comparison: evaluated, untreated"),
}

GROUP_BY_CHOICES: list[tuple[str, Promise]] = [
    (GroupBy.NONE.value, gettext_lazy("Everyone together")),
    (GroupBy.GMFCS.value, gettext_lazy("GMFCS level at baseline")),
    (GroupBy.TREATMENT.value, gettext_lazy("Treatment")),
]


def gmfcs_label(category: str) -> str:
    """Return the label of a GMFCS case-mix category (``"1"``–``"5"`` or not classified)."""
    if category == NOT_CLASSIFIED:
        return _("No GMFCS level (not comparable)")
    return _("GMFCS %(level)s") % {"level": category}


def group_label(group_by: GroupBy, label: str) -> str:
    """Return the label of a report group (a level, a treatment code, or everyone)."""
    if group_by is GroupBy.GMFCS:
        return gmfcs_label(label)
    if group_by is GroupBy.TREATMENT:
        if label == AnchorKind.UNTREATED.value:
            return _("No treatment")
        return str(dict(TREATMENT_CHOICES).get(label, label))
    return _("Everyone")


def reason_text(reason: Reason) -> str:
    """Return the sentence explaining ``reason`` with its figures (one decimal)."""
    f = {key: fixed(value) for key, value in reason.figures.items()}
    months = fixed(reason.figures.get("months", 0), 0)
    texts = {
        ReasonCode.NO_DENOMINATOR: lambda: _(
            "A bare %(claimed)s%% gives neither the number of children nor an interval: "
            "it cannot be told apart from chance."
        ) % {"claimed": f.get("claimed")},
        ReasonCode.NO_TIME_FRAME: lambda: _(
            "The claim names no time after treatment; the registry's figures are shown at "
            "6, 12 and 24 months."
        ),
        ReasonCode.NO_TREATMENT_NAMED: lambda: _(
            "The claim names no treatment; the figures are for every treatment together."
        ),
        ReasonCode.TOO_FEW_CHILDREN: lambda: _(
            "The registry has fewer than 5 children with both scores and a GMFCS level "
            "for this treatment at %(months)s months: it cannot check the claim."
        ) % {"months": months},
        ReasonCode.GAIN_EXPECTED: lambda: _(
            "Children with CP gain gross-motor function with age anyway: over these "
            "%(months)s months the reference curves expected a mean gain of %(expected)s "
            "GMFM-66 points without any treatment."
        ) % {"months": months, "expected": f.get("expected")},
        ReasonCode.IMPROVED_UNDEFINED: lambda: _(
            "\"Improved\" counts any rise, even one within the measurement error: "
            "%(any_gain)s%% rose at all, but only %(beyond)s%% gained more than expected "
            "by more than the measurement error."
        ) % {"any_gain": f.get("any_gain"), "beyond": f.get("beyond")},
        ReasonCode.UNTREATED_ALSO_GAIN: lambda: _(
            "In the untreated comparison group %(share)s%% of children rose too "
            "(n = %(n)s, %(months)s months)."
        ) % {"share": f.get("share"), "n": fixed(reason.figures.get("n", 0), 0),
             "months": months},
        ReasonCode.ABOVE_SUPPORTED: lambda: _(
            "The claimed %(claimed)s%% is above what the registry supports for a gain "
            "beyond the expected one (95%% interval %(low)s%% to %(high)s%%)."
        ) % {"claimed": f.get("claimed"), "low": f.get("low"), "high": f.get("high")},
    }
    return texts[reason.code]()
