from django.urls import path

from . import views

app_name = "sampling"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.site_edit, name="site_create"),
    path("<int:pk>/", views.site_detail, name="site_detail"),
    path("<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("<int:pk>/status/", views.site_status, name="site_status"),
    path("<int:pk>/wait/", views.site_wait, name="site_wait"),
    path("<int:pk>/shift/", views.site_shift, name="site_shift"),
    path("<int:pk>/delete/", views.site_delete, name="site_delete"),
]
