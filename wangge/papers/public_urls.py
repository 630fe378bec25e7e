"""The verification page a paper's QR code opens: no sign-in (the rest lives in urls.py)."""

from django.urls import path

from . import views

app_name = "papers_public"

urlpatterns = [path("<str:token>/", views.verify_page, name="verify")]
