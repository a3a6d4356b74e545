"""Reads for the child page's hip surveillance: each hip's migration over time, its change
per year, its flags and the next x-ray.

Callers have already been granted the child by
:func:`stride.web.patients.access.access_patient_by_id`. The rules are core's
(:mod:`stride.core.followup.hips`, rules ``hips-v1``): this module loads the child's usable
``hip-migration`` and GMFCS assessments (not entered in error, dated from birth to today),
reads the programme's own rate of rise from the programme profile (none: no rate flag, as
there is no published rate to fall back on), and puts every value into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from stride.core.errors import InvalidValue
from stride.core.followup.hips import (
    INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT,
    QUEENSLAND_HIP_CITATION,
    REFERRAL_AT_OR_ABOVE_PERCENT,
    HipFlagCode,
    HipMeasurement,
    HipRisePolicy,
    HipSurveillance,
    HipTrend,
    next_hip_xray,
    survey_hips,
)
from stride.core.followup.schedules import CPUP_HIP_CITATION
from stride.core.scales.examination import HipMigration
from stride.core.scales.instruments import Instrument
from stride.web.evaluation.models import Assessment
from stride.web.outcomes.charts import ChartText, HipReading, Threshold, hip_chart, render_svg
from stride.web.outcomes.selectors.child import age_years
from stride.web.outcomes.wording import (
    HIP_FLAG_LABELS,
    HIP_SIDE_LABELS,
    hip_flag_source,
    hip_flag_text,
    percent_text,
    rate_method_text,
    rate_text,
    xray_text,
)
from stride.web.patients.models import Patient
from stride.web.platform.models import ProgrammeProfile
from stride.web.platform.numbers import fixed
from stride.web.platform.profile import programme_profile

#: The name of the programme's rate policy (its id is ``"<name>-v<version>"``).
RISE_POLICY_NAME = "programme-hip-rise"

#: The published thresholds drawn on the chart: (flag, value, source) from core.
_PUBLISHED = (
    (HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW, REFERRAL_AT_OR_ABOVE_PERCENT,
     QUEENSLAND_HIP_CITATION),
    (HipFlagCode.INDIVIDUAL_ASSESSMENT, INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT, CPUP_HIP_CITATION),
)


@dataclass(frozen=True)
class FlagView:
    """One flag in words: its code (for the page's test ids), title, sentence and source."""

    code: str
    title: str
    text: str
    source: str


@dataclass(frozen=True)
class HipView:
    """One hip in words."""

    side: str
    label: str
    latest: str
    latest_on: date | None
    rate: str
    rate_method: str
    flags: tuple[FlagView, ...]


@dataclass(frozen=True)
class XrayRow:
    """One hip x-ray for the table beside the chart (the chart's numbers in words)."""

    taken_on: date
    age: str
    left: str
    right: str


@dataclass(frozen=True)
class HipPage:
    """The child page's hip surveillance section."""

    hips: tuple[HipView, HipView]
    xrays: tuple[XrayRow, ...]
    svg: SafeString | None
    next_xray: str
    xray_source: str
    #: The programme's rate policy in words (or that there is none).
    policy: str
    rules_version: str
    #: Stored hip rows whose values could not be read (left out, counted).
    unreadable: int
    surveillance: HipSurveillance

    @property
    def flagged(self) -> bool:
        """Whether either hip has a flag."""
        return self.surveillance.flagged


def rise_policy(profile: ProgrammeProfile | None) -> HipRisePolicy | None:
    """Return the programme's own rate of rise from its profile, or ``None`` when it has
    set none (rate, version and who set it are all needed; the admin form asks for all
    three)."""
    if (profile is None or profile.hip_rise_points_per_year is None
            or profile.hip_rise_policy_version is None
            or not profile.hip_rise_policy_set_by.strip()):
        return None
    try:
        return HipRisePolicy(name=RISE_POLICY_NAME, version=profile.hip_rise_policy_version,
                             percent_per_year=float(profile.hip_rise_points_per_year),
                             statement=profile.hip_rise_policy_set_by.strip())
    except InvalidValue:
        return None


def _percent(value: float) -> str:
    # The table shows the value as recorded: whole, or with its one decimal.
    return percent_text(value, 0 if float(value).is_integer() else 1)


def _hip_view(trend: HipTrend, statement: str) -> HipView:
    latest = trend.latest
    return HipView(
        side=trend.side.value,
        label=str(HIP_SIDE_LABELS[trend.side]),
        latest=_("not measured") if latest is None else percent_text(latest.percent),
        latest_on=None if latest is None else latest.measured_on,
        rate=rate_text(trend.rate_per_year),
        rate_method=rate_method_text(trend.rate_method, trend.rate_points),
        flags=tuple(FlagView(code=f.code.value, title=str(HIP_FLAG_LABELS[f.code]),
                             text=hip_flag_text(f), source=hip_flag_source(f, statement))
                    for f in trend.flags),
    )


def _policy_text(policy: HipRisePolicy | None) -> str:
    if policy is None:
        return _("The programme has set no rate of rise per year: no hip is flagged for how "
                 "fast it rises. No published source gives such a rate, so none is assumed.")
    return _("Programme policy %(policy)s: a hip rising faster than %(rate)s percentage "
             "points per year is flagged. This is the programme's own rate, not a published "
             "threshold. Set by: %(statement)s") % {
                 "policy": policy.id, "rate": fixed(policy.percent_per_year, 1),
                 "statement": policy.statement}


def hip_surveillance_page(patient: Patient, *, today: date | None = None,
                          profile: ProgrammeProfile | None = None,
                          chart: bool = True) -> HipPage:
    """Return the child's hip surveillance in words (two queries and the profile's).

    ``today`` defaults to the site's local date; ``profile`` to the programme's profile
    (:func:`stride.web.platform.profile.programme_profile`); ``chart`` ``False`` leaves the
    SVG out (a panel that shows the flags only).
    """
    today = today or timezone.localdate()
    profile = profile if profile is not None else programme_profile()
    policy = rise_policy(profile)
    rows = list(Assessment.objects.usable(today)
                .filter(case__patient=patient,
                        instrument__in=[Instrument.HIP_MIGRATION.value, Instrument.GMFCS.value])
                .order_by("assessed_on", "recorded_at", "id"))
    measurements: list[HipMeasurement] = []
    unreadable = 0
    gmfcs: int | None = None
    for row in rows:
        if row.instrument == Instrument.GMFCS.value:
            if row.headline is not None and 1 <= int(row.headline) <= 5:
                gmfcs = int(row.headline)
            continue
        try:
            migration = HipMigration.from_json(row.data)
        except (InvalidValue, TypeError, ValueError):
            unreadable += 1
            continue
        measurements.append(HipMeasurement(row.assessed_on, migration, row.pk))
    surveillance = survey_hips(measurements, rise_policy=policy)
    dob = patient.date_of_birth
    due = next_hip_xray(date_of_birth=dob, gmfcs=gmfcs,
                        last_xray_on=measurements[-1].measured_on if measurements else None,
                        today=today)
    statement = "" if policy is None else policy.statement
    svg = None
    if measurements and chart:
        thresholds = [
            Threshold(value, _("%(threshold)s %%: %(what)s (%(source)s)") % {
                "threshold": fixed(value, 0), "what": HIP_FLAG_LABELS[code],
                "source": citation.short}, percent_text(value))
            for code, value, citation in _PUBLISHED]
        left, right = HIP_SIDE_LABELS.values()
        svg = mark_safe(render_svg(hip_chart(  # noqa: S308 - built from numbers and escaped text
            chart_id="chart-hips",
            readings=[HipReading(age_years(dob, m.measured_on), m.migration.left_percent,
                                 m.migration.right_percent) for m in measurements],
            thresholds=thresholds, treatments=(),
            left_label=str(left), right_label=str(right),
            left_end=_("left"), right_end=_("right"),
            text=ChartText(
                title=_("Hip migration percentage over age"),
                description=_("The Reimers migration percentage of the left hip (circles, "
                              "solid line) and the right hip (squares, dashed line) on "
                              "%(count)s x-rays, and the published thresholds as horizontal "
                              "lines. The same numbers are in the table below the chart.")
                % {"count": fixed(len(measurements), 0)},
                x_label=_("Age (years)"), y_label=_("Migration percentage (%)"),
                observed_label="",
            ),
        )))
    return HipPage(
        hips=(_hip_view(surveillance.left, statement), _hip_view(surveillance.right, statement)),
        xrays=tuple(XrayRow(m.measured_on, fixed(age_years(dob, m.measured_on), 1),
                            _percent(m.migration.left_percent),
                            _percent(m.migration.right_percent)) for m in measurements),
        svg=svg,
        next_xray=xray_text(due),
        xray_source=_("Schedule: %(source)s, by age and GMFCS level.") % {
            "source": CPUP_HIP_CITATION.short},
        policy=_policy_text(policy),
        rules_version=surveillance.rules_version,
        unreadable=unreadable,
        surveillance=surveillance,
    )

