"""Error pages: JSON under /api/, the site's Chinese pages elsewhere."""

import sys

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def permission_denied(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    exception = sys.exc_info()[1]  # Django calls this while handling the exception
    if is_connection_error(exception):
        return database_unavailable(request)
    if _wants_json(request):
        return JsonResponse({"detail": _("Something went wrong on the server. It has been logged.")}, status=500)
    return render(request, "500.html", status=500)


DATABASE_DOWN_RETRY_SECONDS = 5


def database_unavailable(request):
    """The database went away for a moment (a restart, a failover): 503 with Retry-After, so field apps
    and browsers try again instead of treating it as a defect. Nothing was half-written: each request
    is one transaction."""
    if _wants_json(request):
        response = JsonResponse({"detail": _("The database is unavailable for a moment; try again shortly.")},
                                status=503)
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
    return response


def is_connection_error(exception) -> bool:
    """Lost or refused database connections — not e.g. SQLite's 'database is locked', which is also an
    OperationalError but a real defect to look at."""
    from django.db import InterfaceError, OperationalError

    if not isinstance(exception, (OperationalError, InterfaceError)):
        return False
    text = str(exception).lower()
    return any(word in text for word in ("connection", "server closed", "shutting down", "starting up",
                                         "terminating", "could not connect"))
