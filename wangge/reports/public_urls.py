"""The public report pages: no sign-in (the staff pages live in urls.py)."""

from django.urls import path

from . import public_views

app_name = "reports_public"

urlpatterns = [
    path("", public_views.report_page, name="new"),
    path("status/", public_views.status_page, name="status"),
]
