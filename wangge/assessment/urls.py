from django.urls import path

from . import report_views, views

app_name = "assessment"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("sheet.xlsx", views.ranking_export, name="ranking_export"),
    path("mine/", views.mine, name="mine"),
    path("records/", views.records_view, name="records"),
    path("schemes/new/", views.scheme_edit, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_edit, name="scheme_edit"),
    path("reports/", report_views.report_list, name="report_list"),
    path("reports/new/", report_views.report_create, name="report_create"),
    path("reports/definitions/new/", report_views.definition_edit, name="definition_create"),
    path("reports/definitions/<int:pk>/", report_views.definition_edit, name="definition_edit"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/<str:verb>/", report_views.report_action, name="report_action"),
    path("reports/<int:pk>/report.xlsx", report_views.report_export, name="report_export"),
    path("reviews/", report_views.review_list, name="review_list"),
    path("reviews/new/", report_views.review_create, name="review_create"),
    path("reviews/<int:pk>/", report_views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/file.<str:fmt>", report_views.review_download, name="review_download"),
    path("reviews/<int:pk>/<str:verb>/", report_views.review_action, name="review_action"),
]
