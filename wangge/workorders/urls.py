from django.urls import path

from . import views

app_name = "workorders"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("new/", views.order_create, name="order_create"),
    path("board/", views.order_board, name="order_board"),
    path("figures/", views.order_figures, name="order_figures"),
    path("bulk-assign/", views.order_bulk_assign, name="order_bulk_assign"),
    path("<int:pk>/", views.order_detail, name="order_detail"),
    path("<int:pk>/edit/", views.order_edit, name="order_edit"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/<str:verb>/", views.order_action, name="order_action"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/channels/", views.notification_channels, name="notification_channels"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_edit, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/instructions/", views.visit_instruction, name="visit_instruction"),
]
