"""Health endpoints for load balancers and orchestrators."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def live(request):
    """Answer as long as the process can serve a request.

    Liveness must not touch the database: a database outage would otherwise make the
    orchestrator restart healthy processes, which cannot fix the database.
    """
    return JsonResponse({"status": "ok"})
