from django.urls import path

from . import views
from .views import care, compounds, duplicates, entry_control, screening, supplies

app_name = "community"

urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("new/", views.resident_edit, name="resident_create"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
    path("<int:pk>/export/", views.resident_export, name="resident_export"),
    path("<int:resident_pk>/care-visit/", care.visit_create, name="care_visit_create"),
    path("compounds/", compounds.compound_list, name="compound_list"),
    path("compounds/new/", compounds.compound_edit, name="compound_create"),
    path("compounds/<int:pk>/", compounds.compound_detail, name="compound_detail"),
    path("compounds/<int:pk>/edit/", compounds.compound_edit, name="compound_edit"),
    path("compounds/<int:pk>/entry-check/", entry_control.entry_check, name="entry_check"),
    path("compounds/<int:compound_pk>/gates/new/", compounds.gate_edit, name="gate_create"),
    path("compounds/<int:compound_pk>/gates/<int:pk>/", compounds.gate_edit, name="gate_edit"),
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/scan/", duplicates.duplicate_scan, name="duplicate_scan"),
    path("duplicates/<int:pk>/decide/", duplicates.duplicate_decide, name="duplicate_decide"),
    path("rounds/", screening.round_list, name="round_list"),
    path("rounds/new/", screening.round_create, name="round_create"),
    path("rounds/<int:pk>/", screening.round_detail, name="round_detail"),
    path("rounds/<int:pk>/knock/", screening.round_knock, name="round_knock"),
    path("rounds/<int:pk>/refresh/", screening.round_refresh, name="round_refresh"),
    path("rounds/results/<int:pk>/", screening.result_record, name="result_record"),
    path("care/", care.special_list, name="special_list"),
    path("care/visits/", care.visit_list, name="care_visit_list"),
    path("care/visits/<int:pk>/", care.visit_detail, name="care_visit_detail"),
    path("supplies/", supplies.supply_overview, name="supply_overview"),
    path("supplies/sites/open/", supplies.site_open, name="site_open"),
    path("supplies/sites/<int:pk>/", supplies.site_detail, name="site_detail"),
    path("supplies/sites/<int:pk>/receive/", supplies.site_receive, name="site_receive"),
    path("supplies/stock/<int:pk>/issue/", supplies.stock_issue, name="stock_issue"),
    path("supplies/stock/<int:pk>/distribute/", supplies.stock_distribute, name="stock_distribute"),
    path("supplies/stock/<int:pk>/warning/", supplies.stock_low_level, name="stock_low_level"),
    path("supplies/items/", supplies.item_list, name="item_list"),
    path("supplies/items/new/", supplies.item_edit, name="item_create"),
    path("supplies/items/<int:pk>/", supplies.item_edit, name="item_edit"),
]
