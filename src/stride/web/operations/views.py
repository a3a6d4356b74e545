"""``/health/``: is this server able to serve, and is the background work keeping up?

For load balancers and monitoring: no sign-in, no audit event (it reads no patient data:
counts and ages only), never cached, no cookie.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from stride.web.operations.health import report


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    body, status = report()
    return JsonResponse(body, status=status)
