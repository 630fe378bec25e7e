from django.urls import path

from . import views

app_name = "economy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("parks/", views.park_list, name="park_list"),
    path("parks/new/", views.park_edit, name="park_create"),
    path("parks/<int:pk>/", views.park_detail, name="park_detail"),
    path("parks/<int:pk>/edit/", views.park_edit, name="park_edit"),
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_edit, name="enterprise_create"),
    path("enterprises/not-visited/", views.not_visited, name="not_visited"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/reveal/", views.enterprise_reveal, name="enterprise_reveal"),
    path("enterprises/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("routes/", views.route_list, name="route_list"),
    path("routes/<int:pk>/", views.route_edit, name="route_edit"),
]
