"""Assembles each app's router into /api/v1/."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from wangge.assessment.api import router as assessment_router
from wangge.community.api import router as community_router
from wangge.community.api_work import care_router, compounds_router, duplicates_router, rounds_router, supplies_router
from wangge.core.api import router as core_router
from wangge.dashboard.api import router as dashboard_router
from wangge.economy.api import enterprises_router, parks_router
from wangge.economy.api import visits_router as enterprise_visits_router
from wangge.field.api import router as field_router
from wangge.inspections.api import (
    campaigns_router,
    checklists_router,
    inspections_router,
    risk_router,
    tasks_router,
)
from wangge.inspections.flags_api import flags_router
from wangge.papers.api import router as papers_router
from wangge.places.api import router as premises_router
from wangge.places.api import segments_router
from wangge.reports.api import router as reports_router
from wangge.sampling.api import public_router as public_sampling_router
from wangge.sampling.api import router as sampling_router
from wangge.vaccination.api import router as vaccination_router
from wangge.workorders.api import router as workorders_router
from wangge.workorders.api import visits_router

from . import errors
from .auth import AUTH
from .openapi import CleanParser, DocumentedAPI

api = DocumentedAPI(
    title="Wangge API",
    version="1",
    description="Areas, people, registries, inspections and work orders of a town. "
    "Authenticate with a session cookie (and CSRF token) or `Authorization: Bearer <token>` "
    "from `wangge token create USERNAME`.",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    parser=CleanParser(),
)
errors.install(api)
api.add_router("/", core_router)
api.add_router("/assessment", assessment_router)
api.add_router("/residents", community_router)
api.add_router("/compounds", compounds_router)
api.add_router("/resident-duplicates", duplicates_router)
api.add_router("/screening-rounds", rounds_router)
api.add_router("/care-visits", care_router)
api.add_router("/supplies", supplies_router)
api.add_router("/premises", premises_router)
api.add_router("/road-segments", segments_router)
api.add_router("/workorders", workorders_router)
api.add_router("/field-visits", visits_router)
api.add_router("/checklists", checklists_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/inspection-tasks", tasks_router)
api.add_router("/inspections", inspections_router)
api.add_router("/inspections", flags_router)  # /flagged and /{id}/review (plausibility review)
api.add_router("/field", field_router)
api.add_router("/risk", risk_router)
api.add_router("/papers", papers_router)
api.add_router("/parks", parks_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/enterprise-visits", enterprise_visits_router)
api.add_router("/sampling-sites", sampling_router)
api.add_router("/public", public_sampling_router)
api.add_router("/public-reports", reports_router)
api.add_router("/vaccination", vaccination_router)
api.add_router("/dashboard", dashboard_router)


def not_found(request, rest=""):
    return JsonResponse({"detail": _("Not found.")}, status=404)
