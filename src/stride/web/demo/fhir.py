"""Demo data of the FHIR endpoint: one synthetic partner system reading the demo child.

"Synthetic Referring Hospital" may read the demo guardian's child (``DEMO-00007``), granted
by the demo coordinator. In the demo profile its token is the fixed
:data:`DEMO_FHIR_TOKEN` (documented in ``docs/fhir.md``), so anyone trying the endpoint
can use it; in any other profile the token is random and never shown (a real system gets
its token from the partner-systems page).
"""

from __future__ import annotations

from django.conf import settings

from stride.web.accounts.models import User
from stride.web.fhir import services
from stride.web.fhir.models import PartnerAccess, PartnerSystem
from stride.web.fhir.selectors import hash_token
from stride.web.patients.models import CareTeamMembership, Case

DEMO_SYSTEM_NAME = "Synthetic Referring Hospital"
#: The demo system's token, in the demo profile only: clearly not a secret.
DEMO_FHIR_TOKEN = "stride-demo-only-fhir-token-synthetic-referring-hospital"  # noqa: S105


def load_demo_fhir(users: dict[str, User], case: Case | None) -> int:
    """Register the demo partner system and grant it the demo child; return how many rows
    were added (0 when everything exists or there is no demo case)."""
    admin, coordinator = users.get("demo-admin"), users.get("demo-coordinator")
    if case is None or admin is None or coordinator is None:
        return 0
    added = 0
    system = PartnerSystem.objects.filter(name=DEMO_SYSTEM_NAME).first()
    if system is None:
        system = services.register_system(
            by=admin, name=DEMO_SYSTEM_NAME,
            contact="Synthetic demo: Dr Demo Referrer, referrals@hospital.invalid").system
        added += 1
    # The fixed token only in the demo profile; elsewhere the random one made above stays.
    if settings.STRIDE_ENV == "demo" and system.token_hash != hash_token(DEMO_FHIR_TOKEN):
        system.token_hash = hash_token(DEMO_FHIR_TOKEN)
        system.save(update_fields=("token_hash",))
    if not CareTeamMembership.objects.current().filter(case=case, user=coordinator).exists():
        return added  # only a coordinator of the child's team grants access
    if not PartnerAccess.objects.current().filter(system=system,
                                                  patient_id=case.patient_id).exists():
        services.grant_access(by=coordinator, case=case, system_id=system.pk,
                              reason="Synthetic demo: the hospital that referred the child")
        added += 1
    return added
