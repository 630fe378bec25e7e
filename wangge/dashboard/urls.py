from django.urls import path

from . import brief_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("data.json", views.data, name="data"),
    path("map.json", views.map_data, name="map_data"),
    path("screen/", views.screen, name="screen"),
    path("screen.json", views.screen_data, name="screen_data"),
    path("briefs/", brief_views.brief_list, name="brief_list"),
    path("briefs/new/", brief_views.brief_create, name="brief_create"),
    path("briefs/<int:pk>/<str:fmt>/", brief_views.brief_download, name="brief_download"),
]
