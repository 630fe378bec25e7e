from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("", views.paper_list, name="paper_list"),
    path("from-inspection/<int:inspection_pk>/", views.paper_create, name="paper_create"),
    path("<int:pk>/", views.paper_detail, name="paper_detail"),
    path("<int:pk>/sign/", views.paper_sign, name="paper_sign"),
    path("<int:pk>/refuse/", views.paper_refuse, name="paper_refuse"),
    path("<int:pk>/void/", views.paper_void, name="paper_void"),
    path("<int:pk>/signature.png", views.paper_signature, name="paper_signature"),
    path("<int:pk>/file.<str:fmt>", views.paper_file, name="paper_file"),
]
