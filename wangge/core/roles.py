"""Who may do what: the one readable table of roles, their scope and their permissions.

A user holds one or more roles; what they see is the union of what each role sees (visibility.py),
and what they may do is the union of each role's permissions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    TOWN_ADMIN = "town_admin", _("Town administrator")
    TOWN_LEADER = "town_leader", _("Town leader")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    NEIGHBOURHOOD_CADRE = "neighbourhood_cadre", _("Neighbourhood cadre")
    GRID_WORKER = "grid_worker", _("Grid worker")
    INSPECTOR = "inspector", _("Inspector")
    FAMILY_DOCTOR = "family_doctor", _("Family doctor")
    SAMPLING_STAFF = "sampling_staff", _("Sampling-site staff")
    HEALTH_CENTRE_STAFF = "health_centre_staff", _("Community health centre staff")


class Scope(models.TextChoices):
    """How a role's rows are chosen."""

    ALL = "all", _("Everything")
    TOWN = "town", _("The staff, areas, departments and routes of the user's towns")
    AREA = "area", _("The user's areas and everything under them")
    DEPARTMENT = "department", _("What the user's departments own or are assigned")
    DOCTOR = "doctor", _("The residents signed with the doctor")


class Perm(models.TextChoices):
    VIEW_RESIDENTS = "view_residents", _("See residents")
    EDIT_RESIDENTS = "edit_residents", _("Add and edit residents")
    REVEAL_PERSONAL = "reveal_personal", _("Reveal a full ID or phone number (logged)")
    EXPORT = "export", _("Export ledgers")
    VIEW_AUDIT = "view_audit", _("Read change records")
    MANAGE_STAFF = "manage_staff", _("Manage areas, departments and users")
    REVIEW_REVEALS = "review_reveals", _("Review the personal-data access log")
    VIEW_PREMISES = "view_premises", _("See premises and road segments")
    EDIT_PREMISES = "edit_premises", _("Add and edit premises and road segments")
    VIEW_WORKORDERS = "view_workorders", _("See work orders")
    RAISE_WORKORDERS = "raise_workorders", _("Raise work orders")
    MANAGE_WORKORDERS = "manage_workorders", _("Assign, verify, return, reopen and escalate work orders")
    VIEW_FIELD_VISITS = "view_field_visits", _("See leaders' field visits")
    RECORD_FIELD_VISITS = "record_field_visits", _("Record field visits and their instructions")
    VIEW_INSPECTIONS = "view_inspections", _("See campaigns, checklists and inspections")
    INSPECT = "inspect", _("Carry out inspections and record their outcome")
    MANAGE_CAMPAIGNS = "manage_campaigns", _("Plan campaigns, checklists, teams and look-back rounds")
    REVIEW_INSPECTIONS = "review_inspections", _("Confirm or void inspections flagged as implausible")
    VIEW_ENTERPRISES = "view_enterprises", _("See parks, enterprises and their visits")
    EDIT_ENTERPRISES = "edit_enterprises", _("Add and edit parks and enterprises")
    VISIT_ENTERPRISES = "visit_enterprises", _("Record enterprise visits and their demands")
    VIEW_SAMPLING = "view_sampling", _("See sampling sites, staffing and throughput")
    EDIT_SAMPLING = "edit_sampling", _("Add and edit sampling sites")
    REPORT_SAMPLING = "report_sampling", _("Set a site's waiting time and enter samples taken")
    VIEW_VACCINATION = "view_vaccination", _("See the 60+ vaccination register, worklists and coverage")
    RECORD_VACCINATION = "record_vaccination", _("Record census answers, contacts, appointments and check-ins")
    RECORD_DOSES = "record_doses", _("Enter and correct doses, observation, reactions and follow-ups")
    IMPORT_DOSES = "import_doses", _("Import doses from a vaccination system's export")
    VIEW_HEALTH = "view_health", _("See health facts (contraindications, adverse reactions)")
    VIEW_OWN_ASSESSMENT = "view_own_assessment", _("See one's own assessment figures and what counts")
    VIEW_ASSESSMENT = "view_assessment", _("See everyone's assessment figures and the ranking")
    MANAGE_ASSESSMENT = "manage_assessment", _("Edit the assessment scheme and the report definitions")
    PREPARE_REPORTS = "prepare_reports", _("Prepare period reports and reviews")
    APPROVE_REPORTS = "approve_reports", _("Approve period reports and reviews prepared by someone else")
    IMPORT_BOUNDARIES = "import_boundaries", _("Import boundaries of areas and compounds")


P = Perm
_WO_RAISE = {P.VIEW_WORKORDERS, P.RAISE_WORKORDERS, P.VIEW_FIELD_VISITS}
_WO_MANAGE = {*_WO_RAISE, P.MANAGE_WORKORDERS}
_INSPECT = {P.VIEW_INSPECTIONS, P.INSPECT}
_ECONOMY = {P.VIEW_ENTERPRISES, P.VISIT_ENTERPRISES}
_VACC = {P.VIEW_VACCINATION, P.RECORD_VACCINATION}
_VACC_HEALTH = {*_VACC, P.RECORD_DOSES, P.VIEW_HEALTH}
_ASSESSED = {P.VIEW_OWN_ASSESSMENT}
_LEAD_ASSESSMENT = {*_ASSESSED, P.VIEW_ASSESSMENT, P.MANAGE_ASSESSMENT, P.PREPARE_REPORTS, P.APPROVE_REPORTS}
ROLE_TABLE: dict[str, tuple[Scope, frozenset[str]]] = {
    Role.ADMIN: (Scope.ALL, frozenset(Perm.values)),
    # One town's administrator: its staff (create, grant roles within the town, deactivate), areas,
    # departments and routes, nothing of another town (docs/TOWNS.md); the checks are in the services.
    Role.TOWN_ADMIN: (Scope.TOWN, frozenset({P.MANAGE_STAFF, P.VIEW_AUDIT})),
    Role.TOWN_LEADER: (Scope.AREA, frozenset({P.VIEW_RESIDENTS, P.VIEW_PREMISES, P.EXPORT, P.VIEW_AUDIT,
                                              *_WO_MANAGE, P.RECORD_FIELD_VISITS, P.VIEW_INSPECTIONS,
                                              P.MANAGE_CAMPAIGNS, P.REVIEW_INSPECTIONS, *_ECONOMY,
                                              P.VIEW_SAMPLING, P.VIEW_VACCINATION, *_LEAD_ASSESSMENT,
                                              P.IMPORT_BOUNDARIES})),
    Role.DEPARTMENT_OFFICER: (Scope.DEPARTMENT, frozenset({P.VIEW_PREMISES, P.EXPORT, P.VIEW_AUDIT, *_WO_MANAGE,
                                                           *_INSPECT, P.MANAGE_CAMPAIGNS, P.REVIEW_INSPECTIONS,
                                                           *_ECONOMY,
                                                           P.EDIT_ENTERPRISES, P.VIEW_SAMPLING, *_ASSESSED,
                                                           P.PREPARE_REPORTS})),
    Role.NEIGHBOURHOOD_CADRE: (
        Scope.AREA,
        frozenset({P.VIEW_RESIDENTS, P.EDIT_RESIDENTS, P.REVEAL_PERSONAL, P.EXPORT, P.VIEW_AUDIT,
                   P.VIEW_PREMISES, P.EDIT_PREMISES, *_WO_MANAGE, *_INSPECT, *_ECONOMY, P.EDIT_ENTERPRISES,
                   P.VIEW_SAMPLING, P.EDIT_SAMPLING, P.REPORT_SAMPLING, *_VACC, *_ASSESSED}),
    ),
    Role.GRID_WORKER: (
        Scope.AREA,
        frozenset({P.VIEW_RESIDENTS, P.EDIT_RESIDENTS, P.REVEAL_PERSONAL, P.VIEW_AUDIT,
                   P.VIEW_PREMISES, P.EDIT_PREMISES, *_WO_RAISE, *_INSPECT, *_ECONOMY, P.VIEW_SAMPLING, *_VACC,
                   *_ASSESSED}),
    ),
    Role.INSPECTOR: (Scope.AREA, frozenset({P.VIEW_PREMISES, P.VIEW_AUDIT, *_WO_RAISE, *_INSPECT, P.VIEW_SAMPLING,
                                            *_ASSESSED})),
    # Family doctors: on the residents register their signed residents; for vaccination also the
    # unsigned residents of their own areas (ScopingSpec.doctor_area, docs/VACCINATION.md).
    Role.FAMILY_DOCTOR: (Scope.DOCTOR, frozenset({P.VIEW_RESIDENTS, P.REVEAL_PERSONAL, P.VIEW_AUDIT,
                                                  P.VIEW_WORKORDERS, *_VACC_HEALTH})),
    # Staff and volunteers of a sampling site: their areas' sites, the queue and the day's samples.
    Role.SAMPLING_STAFF: (Scope.AREA, frozenset({P.VIEW_SAMPLING, P.REPORT_SAMPLING})),
    # The community health centre (社区卫生服务中心): runs the vaccination points; sees its areas (the town).
    Role.HEALTH_CENTRE_STAFF: (Scope.AREA, frozenset({*_VACC_HEALTH, P.IMPORT_DOSES})),
}


def scopes_of(roles: set[str]) -> set[str]:
    return {ROLE_TABLE[r][0] for r in roles if r in ROLE_TABLE}


def permissions_of(roles: set[str]) -> set[str]:
    perms: set[str] = set()
    for role in roles:
        if role in ROLE_TABLE:
            perms |= ROLE_TABLE[role][1]
    return perms


# The roles that act on work handed to them: their home page is 待我处理 (the inbox), not the dashboard.
ACTING_ROLES = frozenset({Role.GRID_WORKER, Role.INSPECTOR, Role.NEIGHBOURHOOD_CADRE, Role.FAMILY_DOCTOR,
                          Role.DEPARTMENT_OFFICER})


def acts(user) -> bool:
    return bool(user.roles & ACTING_ROLES)


def has_inbox(user) -> bool:
    """Anyone who acts, and anyone who hands out or verifies work orders (a town leader)."""
    return acts(user) or user.can(Perm.MANAGE_WORKORDERS)
