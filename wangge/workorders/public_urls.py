"""The requester's rating link: no sign-in (the rest of the work-order pages live in urls.py)."""

from django.urls import path

from . import views

app_name = "workorders_public"

urlpatterns = [path("<str:token>/", views.rating_page, name="rating")]
