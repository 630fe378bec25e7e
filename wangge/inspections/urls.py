from django.urls import path

from . import flags_views, risk_views, views

app_name = "inspections"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("campaigns/new/", views.campaign_edit, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/status/", views.campaign_status, name="campaign_status"),
    path("campaigns/<int:pk>/plan/", views.campaign_plan, name="campaign_plan"),
    path("campaigns/<int:pk>/tasks/", views.task_list, name="task_list"),
    path("campaigns/<int:pk>/ledger.xlsx", views.campaign_ledger, name="campaign_ledger"),
    path("campaigns/<int:pk>/teams/new/", views.team_edit, name="team_create"),
    path("campaigns/<int:pk>/teams/<int:team_pk>/", views.team_edit, name="team_edit"),
    path("campaigns/<int:pk>/teams/<int:team_pk>/delete/", views.team_delete, name="team_delete"),
    path("campaigns/<int:pk>/lookback/", views.lookback_create, name="lookback_create"),
    path("campaigns/<int:pk>/compare/", views.lookback_compare, name="lookback_compare"),
    path("tasks/<int:task_pk>/inspect/", views.inspect, name="inspect"),
    path("tasks/<int:task_pk>/distance.json", views.task_distance, name="task_distance"),
    path("subject/<str:label>/<int:pk>/inspect/", views.inspect_subject, name="inspect_subject"),
    path("records/", views.inspection_list, name="inspection_list"),
    path("records/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("records/<int:pk>/review/", flags_views.flag_review, name="flag_review"),
    path("flagged/", flags_views.flag_list, name="flag_list"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"size": "thumb"}, name="photo_thumb"),
    path("risk/", risk_views.risk_overview, name="risk"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/", views.checklist_edit, name="checklist_create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
]
