"""The offline field app (外勤): an installable page at /field/ with its service worker and manifest.
The service worker must be served from /field/ to control that scope, so it is a view, not a
static file; it caches the app shell, and the page keeps tasks, checklists and the queue of
submissions in IndexedDB (static/wangge/field/app.js)."""

import json
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm

from .choices import Outcome

# Bump when the shell's files change, so phones fetch the new ones.
SHELL_VERSION = "field-v1"
SW_SOURCE = Path(__file__).parent / "field_sw.js"


@never_cache
@permission_required(Perm.INSPECT)
def app(request):
    return render(request, "inspections/field.html", {"outcomes": Outcome.choices, "strings": _strings()})


def _strings() -> dict:
    """The app's words, translated here so the cached shell carries them offline."""
    return {
        "online": _("online"), "offline": _("offline"), "yes": _("yes"), "no": _("no"), "photo": _("Photo"),
        "nothing": _("Nothing to inspect today."), "never": _("never"),
        "queued": _("Saved on this phone; it will upload when there is a network."),
        "uploaded": _("Uploaded."), "conflict": _("Conflict"), "waiting": _("waiting"), "discard": _("Discard"),
        "discard_confirm": _("Discard this submission? It has not reached the server."),
        "sign_in": _("Your session has ended: sign in again, then sync. Nothing waiting is lost."),
        "answer": _("Answer every required item."),
        "violation": _("An item is violated: choose an outcome other than compliant."),
        "outcome": _("Choose the outcome."), "reinspection": _("Re-inspection"), "road_chief": _("road chief"),
        "sync_failed": _("No connection to the server; the submissions wait on this phone."),
    }


def service_worker(request):
    shell = ["/field/", static("vendor/bootstrap/bootstrap.min.css"), static("wangge/app.css"),
             static("wangge/field/app.js"), static("wangge/favicon.svg")]
    body = SW_SOURCE.read_text().replace("__SHELL__", json.dumps(shell)).replace("__VERSION__", SHELL_VERSION)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/field/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    return JsonResponse({
        "name": _("Wangge field app"), "short_name": _("Field"), "start_url": "/field/", "scope": "/field/",
        "display": "standalone", "background_color": "#ffffff", "theme_color": "#0d6efd", "lang": "zh-CN",
        "icons": [{"src": static("wangge/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }, content_type="application/manifest+json")
