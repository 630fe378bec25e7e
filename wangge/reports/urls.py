from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/photo/", views.report_photo, name="report_photo"),
    path("<int:pk>/reveal/", views.report_reveal, name="report_reveal"),
]
