from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from wangge.api.api import api, not_found
from wangge.core import confirm
from wangge.core import views as core_views
from wangge.dashboard import inbox_views

urlpatterns = [
    path("", inbox_views.start, name="home"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("wangge.core.urls")),
    path("premises/", include("wangge.places.urls")),
    path("workorders/", include("wangge.workorders.urls")),
    path("inspections/", include("wangge.inspections.urls")),
    path("field/", include("wangge.field.urls")),
    path("residents/", include("wangge.community.urls")),
    path("economy/", include("wangge.economy.urls")),
    path("sampling/", include("wangge.sampling.urls")),
    path("vaccination/", include("wangge.vaccination.urls")),
    path("public/sampling/", include("wangge.sampling.public_urls")),
    path("public/rating/", include("wangge.workorders.public_urls")),
    path("papers/", include("wangge.papers.urls")),
    path("public/papers/", include("wangge.papers.public_urls")),
    path("public/report/", include("wangge.reports.public_urls")),
    path("reports/", include("wangge.reports.urls")),
    path("ledgers/", include("wangge.core.ledger_urls")),
    path("jobs/", include("wangge.core.job_urls")),
    path("dashboard/", include("wangge.dashboard.urls")),
    path("assessment/", include("wangge.assessment.urls")),
    path("maps/", include("wangge.maps.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.*)$", not_found),
    path("undo/", confirm.undo, name="undo"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/wangge/favicon.svg", permanent=True)),
]

handler403 = "wangge.core.errors.permission_denied"
handler404 = "wangge.core.errors.page_not_found"
handler500 = "wangge.core.errors.server_error"
