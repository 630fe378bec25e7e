from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.premises_list, name="premises_list"),
    path("new/", views.premises_edit, name="premises_create"),
    path("map/", views.premises_map, name="premises_map"),
    path("<int:pk>/", views.premises_detail, name="premises_detail"),
    path("<int:pk>/edit/", views.premises_edit, name="premises_edit"),
    path("<int:pk>/status/", views.premises_status, name="premises_status"),
    path("<int:pk>/delete/", views.premises_delete, name="premises_delete"),
    path("<int:pk>/reveal/", views.premises_reveal, name="premises_reveal"),
    path("segments/", views.segment_list, name="segment_list"),
    path("segments/new/", views.segment_edit, name="segment_create"),
    path("segments/<int:pk>/", views.segment_edit, name="segment_edit"),
    path("segments/<int:pk>/delete/", views.segment_delete, name="segment_delete"),
]
