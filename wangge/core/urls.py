from django.urls import path

from . import route_views, views

app_name = "core"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_edit, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/new/", views.area_edit, name="area_create"),
    path("areas/<int:pk>/", views.area_edit, name="area_edit"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_edit, name="department_create"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("routes/", route_views.route_list, name="route_list"),
    path("routes/<str:table>/<int:pk>/", route_views.route_edit, name="route_edit"),
    path("access-log/", views.access_log, name="access_log"),
]
