from django.urls import path

from . import views as field

app_name = "field"

urlpatterns = [
    path("", field.app, name="app"),
    path("sw.js", field.service_worker, name="service_worker"),
    path("manifest.webmanifest", field.manifest, name="manifest"),
]
