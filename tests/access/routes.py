"""What each URL of the application names, so the access test can aim it at a row out of scope.

Every named route must appear here: a new page without an entry fails `test_every_route_has_a_rule`.

- PUBLIC: no sign-in needed, or about the caller's own account (login, password reset, the public
  sampling page, the service worker). Not aimed at anything.
- LISTING: no row in the URL; what it shows must come through visibility, so an outsider's response
  holds none of the estate's names.
- REFERENCE: names a row every signed-in user of its town may read (campaigns, departments, routes) or
  everyone may (checklists); read with the same listing check (an outsider of another town must see none
  of the town's names), actions are tested by their own suites.
- a kind of the estate (or a function of the estate giving the URL's kwargs): the URL names a row;
  an outsider gets 404 (or 403 when the role may not use the page at all), reading or posting.
"""

PUBLIC = "public"
LISTING = "listing"
REFERENCE = "reference"


class ref:  # noqa: N801  (reads as a marker in the table)
    """A row every signed-in user may read; `kwargs` builds the URL's arguments."""

    def __init__(self, kwargs):
        self.kwargs = kwargs


def pk(kind):
    return lambda rows: {"pk": rows[kind].pk}


def kwargs(**names):
    """kwargs(resident_pk="resident") -> {"resident_pk": rows["resident"].pk}; str values pass through."""
    return lambda rows: {k: (rows[v].pk if v in rows else v) for k, v in names.items()}


PAGES = {
    # accounts, language, health
    "login": PUBLIC, "logout": PUBLIC, "password_change": PUBLIC, "password_change_done": PUBLIC,
    "password_reset": PUBLIC, "password_reset_done": PUBLIC, "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC, "set_language": PUBLIC, "healthz": PUBLIC,
    "home": LISTING, "inbox": LISTING, "undo": LISTING,
    # staff administration
    "core:user_list": LISTING, "core:user_create": LISTING, "core:user_edit": pk("user"),
    "core:user_set_active": pk("user"), "core:user_password": pk("user"), "core:area_list": LISTING,
    "core:area_create": LISTING, "core:area_edit": pk("area"), "core:department_list": LISTING,
    "core:department_create": LISTING, "core:department_edit": ref(pk("department")), "core:access_log": LISTING,
    "core:route_list": LISTING, "core:route_edit": kwargs(table="economy.demandroute", pk="route"),
    # premises and roads
    "places:premises_list": LISTING, "places:premises_create": LISTING, "places:premises_map": LISTING,
    "places:premises_detail": pk("premises"),
    "places:premises_edit": pk("premises"), "places:premises_status": pk("premises"),
    "places:premises_delete": pk("premises"), "places:premises_reveal": pk("premises"),
    "places:segment_list": LISTING, "places:segment_create": LISTING, "places:segment_edit": pk("segment"),
    "places:segment_delete": pk("segment"),
    # the map and the boundary import
    "maps:town_map": LISTING, "maps:layers_data": LISTING, "maps:search_data": LISTING,
    "maps:boundary_import": LISTING,
    # work orders and field visits
    "workorders:order_list": LISTING, "workorders:order_create": LISTING, "workorders:order_board": LISTING,
    "workorders:order_figures": LISTING, "workorders:order_bulk_assign": LISTING,
    "workorders:order_detail": pk("order"), "workorders:order_edit": pk("order"),
    "workorders:attachment_upload": pk("order"), "workorders:attachment_download": pk("attachment"),
    "workorders:order_action": kwargs(pk="order", verb="start"), "workorders:notification_list": LISTING,
    "workorders:notification_read": pk("notification"), "workorders:notification_read_all": LISTING,
    "workorders:notification_channels": LISTING,
    "workorders:visit_list": LISTING,
    "workorders:visit_create": LISTING, "workorders:visit_detail": pk("field_visit"),
    "workorders:visit_edit": pk("field_visit"), "workorders:visit_instruction": pk("field_visit"),
    # inspections
    "inspections:campaign_list": LISTING, "inspections:my_tasks": LISTING, "inspections:campaign_create": LISTING,
    "inspections:campaign_detail": ref(pk("campaign")), "inspections:campaign_edit": ref(pk("campaign")),
    "inspections:campaign_status": ref(pk("campaign")), "inspections:campaign_plan": ref(pk("campaign")),
    "inspections:task_list": ref(pk("campaign")), "inspections:campaign_ledger": ref(pk("campaign")),
    "inspections:team_create": ref(pk("campaign")), "inspections:team_edit": ref(kwargs(pk="campaign", team_pk="team")),
    "inspections:team_delete": ref(kwargs(pk="campaign", team_pk="team")),
    "inspections:lookback_create": ref(pk("campaign")), "inspections:lookback_compare": ref(pk("campaign")),
    "inspections:inspect": kwargs(task_pk="task"), "inspections:task_distance": kwargs(task_pk="task"),
    "inspections:inspect_subject": kwargs(label="community.compound", pk="compound"),
    "inspections:inspection_list": LISTING, "inspections:inspection_detail": pk("inspection"),
    "inspections:flag_list": LISTING, "inspections:flag_review": pk("inspection"),
    "inspections:photo": pk("photo"), "inspections:photo_thumb": pk("photo"), "inspections:risk": LISTING,
    "inspections:checklist_list": LISTING, "inspections:checklist_create": LISTING,
    "inspections:checklist_detail": ref(pk("checklist")), "inspections:checklist_edit": ref(pk("checklist")),
    # the offline field app
    "field:app": LISTING, "field:service_worker": PUBLIC, "field:manifest": PUBLIC,
    # neighbourhoods
    "community:resident_list": LISTING, "community:resident_create": LISTING,
    "community:resident_detail": pk("resident"), "community:resident_edit": pk("resident"),
    "community:resident_reveal": pk("resident"), "community:resident_export": pk("resident"),
    "community:care_visit_create": kwargs(resident_pk="resident"),
    "community:compound_list": LISTING, "community:compound_create": LISTING,
    "community:compound_detail": pk("compound"), "community:compound_edit": pk("compound"),
    "community:entry_check": pk("compound"), "community:gate_create": kwargs(compound_pk="compound"),
    "community:gate_edit": kwargs(compound_pk="compound", pk="gate"), "community:duplicate_list": LISTING,
    "community:duplicate_scan": LISTING, "community:duplicate_decide": pk("suggestion"),
    "community:round_list": LISTING, "community:round_create": LISTING, "community:round_detail": pk("round"),
    "community:round_knock": pk("round"), "community:round_refresh": pk("round"),
    "community:result_record": pk("result"), "community:special_list": LISTING,
    "community:care_visit_list": LISTING, "community:care_visit_detail": pk("care_visit"),
    "community:supply_overview": LISTING, "community:site_open": LISTING, "community:site_detail": pk("supply_site"),
    "community:site_receive": pk("supply_site"), "community:stock_issue": pk("stock"),
    "community:stock_distribute": pk("stock"), "community:stock_low_level": pk("stock"),
    "community:item_list": LISTING, "community:item_create": LISTING, "community:item_edit": ref(pk("item")),
    # enterprises and parks
    "economy:overview": LISTING, "economy:park_list": LISTING, "economy:park_create": LISTING,
    "economy:park_detail": pk("park"), "economy:park_edit": pk("park"), "economy:enterprise_list": LISTING,
    "economy:enterprise_create": LISTING, "economy:not_visited": LISTING,
    "economy:enterprise_detail": pk("enterprise"), "economy:enterprise_edit": pk("enterprise"),
    "economy:enterprise_reveal": pk("enterprise"), "economy:visit_create": pk("enterprise"),
    "economy:visit_list": LISTING, "economy:visit_detail": pk("enterprise_visit"), "economy:route_list": LISTING,
    "economy:route_edit": ref(pk("route")),
    # sampling sites
    "sampling:overview": LISTING, "sampling:site_create": LISTING, "sampling:site_detail": pk("sampling_site"),
    "sampling:site_edit": pk("sampling_site"), "sampling:site_status": pk("sampling_site"),
    "sampling:site_wait": pk("sampling_site"), "sampling:site_shift": pk("sampling_site"),
    "sampling:site_delete": pk("sampling_site"), "sampling_public:sites": PUBLIC,
    "workorders_public:rating": PUBLIC, "papers_public:verify": PUBLIC,
    # enforcement papers
    "papers:paper_list": LISTING, "papers:paper_create": kwargs(inspection_pk="inspection"),
    "papers:paper_detail": pk("paper"), "papers:paper_sign": pk("paper"), "papers:paper_refuse": pk("paper"),
    "papers:paper_void": pk("paper"), "papers:paper_signature": pk("paper"),
    "papers:paper_file": kwargs(pk="paper", fmt="pdf"),
    # public reports (随手拍, 12345): the public pages, and the staff's
    "reports_public:new": PUBLIC, "reports_public:status": PUBLIC, "reports:report_list": LISTING,
    "reports:report_detail": pk("public_report"), "reports:report_photo": pk("public_report"),
    "reports:report_reveal": pk("public_report"),
    # the vaccination drive
    "vaccination:overview": LISTING, "vaccination:register": LISTING, "vaccination:person_detail": pk("resident"),
    "vaccination:census_add": pk("resident"), "vaccination:contact_add": pk("resident"),
    "vaccination:appointment_add": pk("resident"), "vaccination:dose_add": pk("resident"),
    "vaccination:dose_void": pk("dose"), "vaccination:appointment_called": pk("appointment"),
    "vaccination:appointment_cancel": pk("appointment"), "vaccination:worklist": LISTING,
    "vaccination:point_list": LISTING, "vaccination:point_day": ref(pk("point")),
    "vaccination:point_create": LISTING, "vaccination:point_edit": ref(pk("point")),
    "vaccination:check_in": ref(pk("point")), "vaccination:visit_detail": pk("vaccination_visit"),
    "vaccination:visit_vaccinate": pk("vaccination_visit"), "vaccination:visit_release": pk("vaccination_visit"),
    "vaccination:follow_up_list": LISTING, "vaccination:follow_up_result": pk("follow_up"),
    # ledgers (template, export and upload are aimed at every ledger kind by the test)
    "ledgers:index": LISTING, "ledgers:template": LISTING, "ledgers:export": LISTING, "ledgers:upload": LISTING,
    "ledgers:print": LISTING,
    "ledgers:job": pk("import_job"), "ledgers:confirm": pk("import_job"), "ledgers:report": pk("import_job"),
    "ledgers:export_job": pk("export_job"), "ledgers:export_download": pk("export_job"),
    "ledgers:restart": pk("import_job"),
    "jobs:list": LISTING, "jobs:detail": pk("background_job"), "jobs:restart": pk("background_job"),
    # dashboard
    "dashboard:home": LISTING, "dashboard:data": LISTING, "dashboard:map_data": LISTING,
    "dashboard:screen": LISTING, "dashboard:screen_data": LISTING, "dashboard:brief_list": LISTING,
    "dashboard:brief_create": LISTING,
    "dashboard:brief_download": kwargs(pk="brief", fmt="pdf"),
    # assessment, period reports and reviews
    "assessment:ranking": LISTING, "assessment:ranking_export": LISTING, "assessment:mine": LISTING,
    "assessment:records": LISTING, "assessment:scheme_create": LISTING, "assessment:scheme_edit": ref(pk("scheme")),
    "assessment:report_list": LISTING, "assessment:report_create": LISTING, "assessment:definition_create": LISTING,
    "assessment:definition_edit": ref(pk("report_definition")), "assessment:report_detail": pk("period_report"),
    "assessment:report_action": kwargs(pk="period_report", verb="approve"),
    "assessment:report_export": pk("period_report"), "assessment:review_list": LISTING,
    "assessment:review_create": LISTING, "assessment:review_detail": pk("review"),
    "assessment:review_download": kwargs(pk="review", fmt="pdf"),
    "assessment:review_action": kwargs(pk="review", verb="approve"),
}

# Pages that may name grids to anyone who opens them, and why.
SHOWS_GRIDS = {
    "vaccination:point_list": "vaccination points are public places, listed with the grid they stand in",
    "vaccination:point_edit": "the same: the point's form shows the grid it stands in",
}

# API path parameters -> the estate's kind (by parameter name; a prefix picks between two kinds).
API_PARAMS = {
    "area_id": "area", "user_id": "user", "resident_id": "resident", "compound_id": "compound",
    "suggestion_id": "suggestion", "round_id": "round", "result_id": "result", "stock_id": "stock",
    "premises_id": "premises", "segment_id": "segment", "order_id": "order", "notification_id": "notification",
    "inspection_id": "inspection", "photo_id": "photo", "park_id": "park", "enterprise_id": "enterprise",
    "site_id": "sampling_site", "checklist_id": REFERENCE, "campaign_id": REFERENCE, "point_id": REFERENCE,
    "paper_id": "paper", "dose_id": "dose", "report_id": "public_report", "appointment_id": "appointment",
    "follow_up_id": "follow_up", "period_report_id": "period_report",
    "visit_id": {"/api/v1/field-visits/": "field_visit", "/api/v1/enterprise-visits/": "enterprise_visit",
                 "/api/v1/vaccination/visits/": "vaccination_visit"},
}
API_LITERALS = {"verb": "start"}
API_PUBLIC = {"/api/v1/public/sampling-sites"}
