from django.urls import path, re_path

from . import ledger_views as views

app_name = "ledgers"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
    re_path(r"^(?P<kind>[-\w]+)/export\.(?P<fmt>xlsx|csv)$", views.export, name="export"),
    path("<slug:kind>/print/", views.print_list, name="print"),
    path("<slug:kind>/import/", views.upload, name="upload"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/<int:pk>/restart/", views.restart, name="restart"),
    path("jobs/<int:pk>/errors.xlsx", views.job_report, name="report"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
