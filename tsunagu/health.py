"""/healthz for monitoring: is the database reachable and fully migrated? Nothing else is told.
Also /favicon.ico, the other address every client asks for without being told."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


@never_cache
@login_not_required
def healthz(request):
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse({"status": "error", "migrations": "pending"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on every site; answer with the icon among the static files
    rather than a 404 that fills the logs."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
