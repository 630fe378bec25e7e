"""The public page: no login (the rest of the app's pages live in urls.py)."""

from django.urls import path

from . import views

app_name = "sampling_public"

urlpatterns = [path("", views.public_page, name="sites")]
