"""Translated labels and sentences for the registry's cohort pages and the child page's hip
surveillance (codes come from core)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stride.core.anatomy import Side
from stride.core.followup.hips import (
    INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT,
    HipFlag,
    HipFlagCode,
    HipXrayDue,
    HipXrayStatus,
    RateMethod,
)
from stride.core.followup.schedules import (
    HIP_XRAY_AGES_GMFCS_II,
    HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V,
    VisitState,
)
from stride.core.registry.claims import Reason, ReasonCode
from stride.core.registry.report import NOT_CLASSIFIED, NOT_RECORDED, Arm, GroupBy
from stride.core.scales.common import Level
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
    # Levels are written I–V, as clinicians and the published curves write them.
    level = Level(int(category)).roman if category in {"1", "2", "3", "4", "5"} else category
    return _("GMFCS %(level)s") % {"level": level}


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


# --------------------------------------------------------------------------- hips

#: The hips, by side.
HIP_SIDE_LABELS: Mapping[Side, Promise] = {
    Side.LEFT: gettext_lazy("Left hip"),
    Side.RIGHT: gettext_lazy("Right hip"),
}

#: What each hip flag asks for (the sentence with the figures is :func:`hip_flag_text`).
HIP_FLAG_LABELS: Mapping[HipFlagCode, Promise] = {
    HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW: gettext_lazy("Refer for orthopaedic review"),
    HipFlagCode.INDIVIDUAL_ASSESSMENT: gettext_lazy("Individual assessment"),
    HipFlagCode.RISING_FASTER_THAN_POLICY: gettext_lazy(
        "Rising faster than the programme's rate"),
}

#: How the change per year was computed.
RATE_METHOD_LABELS: Mapping[RateMethod, Promise] = {
    RateMethod.LEAST_SQUARES_TWO_YEARS: gettext_lazy(
        "the slope of the least-squares line through the x-rays of the last two years"),
    RateMethod.LAST_TWO: gettext_lazy(
        "the change between the last two x-rays divided by the years between them"),
}

#: What the CPUP schedule says of the next hip x-ray.
XRAY_STATUS_LABELS: Mapping[HipXrayStatus, Promise] = {
    HipXrayStatus.DUE: gettext_lazy("Next hip x-ray due"),
    HipXrayStatus.NONE_WHILE_STABLE: gettext_lazy(
        "No x-ray while stable at GMFCS I."),
    # The ages and the percentage are core's CPUP constants (:func:`xray_text` fills them).
    HipXrayStatus.SCHEDULE_COMPLETE: gettext_lazy(
        "The GMFCS II schedule is complete (x-rays at %(first)s and %(last)s years of age): "
        "no further routine x-ray while the hip is stable with a migration below "
        "%(percent)s percent, as the clinician judges."),
    HipXrayStatus.INDIVIDUAL: gettext_lazy(
        "Yearly x-rays at GMFCS III to V end at %(age)s years of age: further x-rays as the "
        "clinician decides for this child."),
    HipXrayStatus.LEVEL_UNKNOWN: gettext_lazy("Not planned: GMFCS level unknown."),
}

#: Where a due x-ray stands today.
XRAY_STATE_LABELS: Mapping[VisitState, Promise] = {
    VisitState.OVERDUE: gettext_lazy("overdue"),
    VisitState.DUE: gettext_lazy("due now"),
    VisitState.UPCOMING: gettext_lazy("upcoming"),
    VisitState.COMPLETED: gettext_lazy("done"),
}


def percent_text(value: float, places: int = 0) -> str:
    """Return a migration percentage as "28 %" (whole percent unless ``places`` says)."""
    return _("%(value)s %%") % {"value": fixed(value, places)}


def _shown_against(value: float, threshold: float) -> str:
    # A whole percent that reads the same as the threshold (33.4 against 33) keeps one
    # decimal, so the sentence never reads "33 % is above 33 %".
    whole = fixed(value, 0)
    return whole if whole != fixed(threshold, 0) else fixed(value, 1)


def hip_flag_text(flag: HipFlag) -> str:
    """Return the flag as a sentence: the hip's value, the limit and what it asks for."""
    if flag.code is HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW:
        return _("Migration %(value)s %% is at or above %(threshold)s %%: refer for "
                 "orthopaedic review.") % {"value": _shown_against(flag.value, flag.threshold),
                                           "threshold": fixed(flag.threshold, 0)}
    if flag.code is HipFlagCode.INDIVIDUAL_ASSESSMENT:
        return _("Migration %(value)s %% is above %(threshold)s %%: individual "
                 "assessment.") % {"value": _shown_against(flag.value, flag.threshold),
                                   "threshold": fixed(flag.threshold, 0)}
    return _("Rising %(value)s percentage points per year, faster than the programme's rate "
             "of %(threshold)s points per year.") % {"value": fixed(flag.value, 1),
                                                     "threshold": fixed(flag.threshold, 1)}


def hip_flag_source(flag: HipFlag, policy_statement: str) -> str:
    """Return where the flag's limit comes from: the published source, or the programme's
    own policy (named as such, with who set it)."""
    if flag.citation is not None:
        return _("Source: %(source)s.") % {"source": flag.citation.short}
    return _("Programme policy %(policy)s, not a published threshold (no published source "
             "gives a rate). Set by: %(statement)s") % {"policy": flag.policy or "",
                                                       "statement": policy_statement}


def rate_text(rate: float | None) -> str:
    """Return a change per year as "+3.8 percentage points per year" (or "not known")."""
    if rate is None:
        return _("not known: fewer than two x-ray dates")
    sign = "+" if round(rate, 1) > 0 else ""
    return _("%(rate)s percentage points per year") % {"rate": sign + fixed(rate, 1)}


def rate_method_text(method: RateMethod | None, points: int) -> str:
    """Return how the change per year was computed, with the number of x-ray dates used."""
    if method is None:
        return _("A change per year needs x-rays on at least two dates.")
    return _("Computed as %(method)s (%(count)s x-ray dates).") % {
        "method": RATE_METHOD_LABELS[method], "count": fixed(points, 0)}


def xray_text(due: HipXrayDue) -> str:
    """Return when the next hip x-ray is due by the CPUP schedule, in words."""
    if due.status is not HipXrayStatus.DUE or due.due_on is None:
        return str(XRAY_STATUS_LABELS[due.status]) % {
            "first": fixed(HIP_XRAY_AGES_GMFCS_II[0], 0),
            "last": fixed(HIP_XRAY_AGES_GMFCS_II[-1], 0),
            "percent": fixed(INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT, 0),
            "age": fixed(HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V, 0)}
    text = _("Next hip x-ray due %(date)s (%(state)s).") % {
        "date": date_format(due.due_on, "DATE_FORMAT"),
        "state": XRAY_STATE_LABELS[due.state] if due.state is not None else ""}
    if due.scheduled_age is not None:
        text += " " + _("The GMFCS II x-ray at %(age)s years of age.") % {
            "age": fixed(due.scheduled_age, 0)}
    if due.first_on_record:
        text += " " + _("No hip x-ray is on record.")
    return text
