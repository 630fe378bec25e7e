from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("", views.town_map, name="town_map"),
    path("layers.json", views.layers_data, name="layers_data"),
    path("search.json", views.search_data, name="search_data"),
    path("boundaries/", views.boundary_import, name="boundary_import"),
]
