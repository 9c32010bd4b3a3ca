"""/healthz (liveness, for the load balancer) and /healthz/ready (readiness, for operators)."""

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from ops.health import in_one_word, is_healthy, liveness, readiness
from sitecache.http import never_stored


def status_of(report: dict[str, str]) -> int:
    return 200 if is_healthy(report) else 503


@require_safe
@never_stored
def healthz(request: HttpRequest) -> JsonResponse:
    report = liveness()
    return JsonResponse(report, status=status_of(report))


def is_staff(request: HttpRequest) -> bool:
    """Staff see the details. Knowing who is staff needs the database: while it is down
    everyone is anonymous here."""
    try:
        return request.user.is_staff
    except DatabaseError:
        return False


@require_safe
@never_stored
def healthz_ready(request: HttpRequest) -> JsonResponse:
    report = readiness()
    body = report if is_staff(request) else in_one_word(report)
    return JsonResponse(body, status=status_of(report))
