from django.urls import path

from . import views
from .views import actions, work

app_name = "vaccination"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("register/", views.register_list, name="register"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/census/", actions.census_add, name="census_add"),
    path("people/<int:pk>/contact/", actions.contact_add, name="contact_add"),
    path("people/<int:pk>/appointment/", actions.appointment_add, name="appointment_add"),
    path("people/<int:pk>/dose/", actions.dose_add, name="dose_add"),
    path("doses/<int:pk>/void/", actions.dose_void, name="dose_void"),
    path("appointments/<int:pk>/called/", actions.appointment_called, name="appointment_called"),
    path("appointments/<int:pk>/cancel/", actions.appointment_cancel, name="appointment_cancel"),
    path("worklist/", work.worklist, name="worklist"),
    path("points/", work.point_list, name="point_list"),
    path("points/new/", work.point_edit, name="point_create"),
    path("points/<int:pk>/", work.point_day, name="point_day"),
    path("points/<int:pk>/edit/", work.point_edit, name="point_edit"),
    path("points/<int:pk>/check-in/", work.check_in, name="check_in"),
    path("visits/<int:pk>/", work.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/vaccinate/", work.visit_vaccinate, name="visit_vaccinate"),
    path("visits/<int:pk>/release/", work.visit_release, name="visit_release"),
    path("follow-ups/", work.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/result/", work.follow_up_result, name="follow_up_result"),
]
