from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("new/", views.resident_edit, name="resident_create"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
]
