"""Writes of the publication app: publish a dated snapshot of the outcomes page.

The figures are the analysts' cohort report for the filter "every treatment, no other
restriction" (:mod:`stride.web.outcomes.selectors.cohort` and
:func:`stride.core.registry.report.build_report`, through
:func:`stride.core.registry.publication.build_publication`), suppressed by the CMS rule
and stored as JSON. The public page reads only the stored snapshot.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from stride.core.errors import InvalidValue
from stride.core.natural_history.sets import DEFAULT_REFERENCE
from stride.core.registry.publication import PUBLICATION_VERSION, build_publication
from stride.core.registry.suppression import CMS_CELL_SIZE
from stride.core.registry.windows import WINDOWS_VERSION
from stride.web.outcomes.selectors.cohort import ReportFilters, report_columns
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.publication.models import PublishedOutcomes
from stride.web.publication.selectors import (
    follow_up_columns,
    registry_is_synthetic,
    registry_token,
)

#: Who may publish: the command, the background worker, the demo loader.
PUBLISHERS = ("command", "worker", "demo")

#: The analysts' filter the page is built from: every treatment, no other restriction.
PUBLISHED_FILTERS = ReportFilters()


@transaction.atomic
def publish_outcomes(*, by: str, now: datetime | None = None) -> PublishedOutcomes:
    """Read the registry, build the suppressed figures and store them as the newest snapshot.

    Parameters
    ----------
    by
        Who publishes: one of :data:`PUBLISHERS` (stored and audited).
    now
        The moment of publication (default: now); the registry is read as of it.

    Returns
    -------
    PublishedOutcomes
        The stored snapshot.

    Raises
    ------
    InvalidValue
        For an unknown publisher.
    """
    if by not in PUBLISHERS:
        raise InvalidValue("by", by, PUBLISHERS)
    moment = now or timezone.now()
    token = registry_token()
    publication = build_publication(
        report_columns(PUBLISHED_FILTERS), follow_up_columns(),
        reference=DEFAULT_REFERENCE, as_of=timezone.localdate(moment), rule=CMS_CELL_SIZE)
    snapshot = PublishedOutcomes.objects.create(
        published_at=moment, registry_as_of=moment, registry_token=token,
        filters=asdict(PUBLISHED_FILTERS), figures=publication.to_json(),
        version=PUBLICATION_VERSION, reference=publication.reference,
        windows_version=WINDOWS_VERSION, suppression_rule=CMS_CELL_SIZE.key,
        synthetic=registry_is_synthetic(), published_by=by)
    record(actor=None, action=Action.CREATE, object_type=ObjectType.REGISTRY_REPORT,
           object_id=f"published outcomes {snapshot.pk} ({PUBLICATION_VERSION})",
           actor_label=f"publish_outcomes ({by})")
    return snapshot
