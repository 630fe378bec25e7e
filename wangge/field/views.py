"""The offline field app (外勤): an installable page at /field/ with its service worker and manifest.
It sits above the domain apps (like the dashboard) and gathers what a field worker fills in: inspection
tasks and enterprise visits (residents' care visits join when they exist).
The service worker must be served from /field/ to control that scope, so it is a view, not a
static file; it caches the app shell, and the page keeps tasks, checklists and the queue of
submissions in IndexedDB (static/wangge/field/app.js)."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wangge.community.choices import Condition
from wangge.core.permissions import login_required
from wangge.core.roles import Perm
from wangge.economy.choices import DemandCategory, Impact, ImpactArea, OperatingStatus
from wangge.inspections.choices import Outcome

# Bump when the shell's files change, so phones fetch the new ones.
SHELL_VERSION = "field-v3"
SW_SOURCE = Path(__file__).parent / "sw.js"


@never_cache
@login_required
def app(request):
    user = request.user
    may_inspect, may_visit = user.can(Perm.INSPECT), user.can(Perm.VISIT_ENTERPRISES)
    may_care = user.can(Perm.EDIT_RESIDENTS)
    if not (may_inspect or may_visit or may_care):
        raise PermissionDenied
    return render(request, "field/app.html", {
        "outcomes": Outcome.choices, "strings": _strings(), "may_inspect": may_inspect, "may_visit": may_visit,
        "may_care": may_care, "conditions": Condition.choices,
        "operating": OperatingStatus.choices, "impacts": Impact.choices, "impact_areas": ImpactArea.choices,
        "demand_categories": DemandCategory.choices, "today": timezone.localdate()})


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
        "visit": _("Enterprise visit"), "no_enterprises": _("No enterprise matches."),
        "care": _("Care visit"), "no_residents": _("No one matches."), "last_visit": _("last visit"),
        "never_visited": _("never visited"),
        "care_required": _("Fill in the date, the visitors and the condition."),
        "visit_required": _("Fill in the date, the visitors, the operating status and the impact."),
        # The phone's distance to the premises, measured on the phone (app.js::distanceM, the same
        # haversine as core/coords.distance_m) with the radius of the far_from_premises flag.
        "locating": _("Locating…"),
        "distance": _("%(distance)s from the premises"), "metres": _("%(m)s m"), "km": _("%(km)s km"),
        "accuracy": _("accuracy ±%(m)s m"),
        "far": _("More than %(radius)s: the inspection will be flagged for review."),
        "no_premises_position": _("The premises has no position marked."),
        "position_refused": _("Location not allowed: the inspection can still be saved, without a position."),
        "position_unavailable": _("No position found: the inspection can still be saved, without a position."),
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
