"""The field app's incremental sync: what a phone needs offline — the user's open inspection tasks
with their checklists, the enterprises the user may visit, the special-group residents to care for —
and only what changed since the last sync. Submissions go to the ordinary endpoints
(`POST /inspections`, `POST /enterprise-visits`, `POST /care-visits`), each with its client id."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from ninja import Field, Router, Schema

from wangge.core.roles import Perm
from wangge.economy.choices import EnterpriseStatus
from wangge.economy.models import Enterprise
from wangge.inspections.api import ChecklistDetail
from wangge.inspections.models import Checklist, Task

router = Router(tags=["field app"])


class FieldPremisesOut(Schema):
    id: int
    name: str
    address: str
    category_id: int
    category: str = Field(description="The category's name")
    grid: str = Field(description="The grid's name")
    status: str
    status_label: str = Field(description="The status in the user's language")
    road_chief: str = Field(description="The road chief of its segment, by name; empty when none")
    latitude: float | None = Field(description="WGS-84 degrees, for the phone's distance to it; null when the "
                                               "premises has no position")
    longitude: float | None = Field(description="WGS-84 degrees; null when the premises has no position")


class FieldTaskOut(Schema):
    id: int
    campaign_id: int
    campaign_name: str
    checklist_id: int
    premises: FieldPremisesOut = Field(description="Its basic facts, nothing personal (no phone numbers)")
    team: dict | None
    shift: str
    planned_on: datetime.date | None
    reason: str
    note: str
    version: int


class FieldEnterpriseOut(Schema):
    id: int
    name: str
    address: str
    park: str
    grid: str
    status: str


class FieldResidentOut(Schema):
    id: int
    name: str
    compound: str
    building: str
    room: str
    last_visit: datetime.date | None


class FieldSyncOut(Schema):
    server_time: datetime.datetime
    radius_m: int = Field(description="Beyond this distance (metres) from the premises an inspection is flagged "
                                      "far_from_premises (INSPECTION_RADIUS_M): the phone colours the distance with it")
    task_ids: list[int] = Field(description="Every task the client should hold; drop the others")
    tasks: list[FieldTaskOut] = Field(description="Only those changed since `since` (all without it)")
    checklists: list[ChecklistDetail] = Field(description="Only those the client lacks or that changed")
    enterprise_ids: list[int] = Field(description="Every enterprise the client should hold")
    enterprises: list[FieldEnterpriseOut] = Field(description="Only those changed since `since`")
    resident_ids: list[int] = Field(description="Every special-group resident the client should hold")
    residents: list[FieldResidentOut] = Field(description="Only those changed since `since`: name and where "
                                                           "they live, nothing more (no ID, phone or health facts)")


def field_task(task: Task) -> dict:
    p = task.premises
    chief = p.segment.chief if p.segment_id and p.segment.chief_id else None
    members = list(task.team.members.all()) if task.team_id else []
    return {
        "id": task.pk, "campaign_id": task.campaign_id, "campaign_name": task.campaign.name,
        "checklist_id": task.campaign.checklist_id, "shift": task.shift, "planned_on": task.planned_on,
        "reason": task.reason, "note": task.note, "version": task.version,
        # The subject's basic facts, nothing personal: no phone numbers travel to the phone.
        "premises": {"id": p.pk, "name": p.name, "address": p.address, "category_id": p.category_id,
                     "category": p.category.name, "grid": p.grid.name, "status": p.status,
                     "status_label": str(p.get_status_display()), "road_chief": str(chief) if chief else "",
                     # Where it stands (not personal: premises are on the maps), for the distance shown offline.
                     "latitude": _degrees(p.latitude), "longitude": _degrees(p.longitude)},
        "team": {"id": task.team_id, "name": task.team.name,
                 "members": [{"id": m.pk, "name": str(m)} for m in members]} if task.team_id else None,
    }


def _degrees(value):
    return None if value is None else float(value)


def _tasks(user, since, have: set[int]):
    today = timezone.localdate()
    tasks = (Task.objects.open_for(user, today + datetime.timedelta(days=1))
             .select_related("campaign", "premises__category", "premises__grid", "premises__segment__chief", "team")
             .prefetch_related("team__members").order_by("planned_on", "shift", "-risk", "id"))
    changed = tasks
    if since is not None:
        changed = tasks.filter(Q(updated_at__gt=since) | Q(premises__updated_at__gt=since) |
                               Q(team__updated_at__gt=since) | Q(campaign__updated_at__gt=since))
    wanted = set(tasks.values_list("campaign__checklist_id", flat=True))
    checklists = Checklist.objects.filter(pk__in=wanted).prefetch_related("items__categories")
    if since is not None:
        checklists = checklists.filter(Q(updated_at__gt=since) | ~Q(pk__in=have))
    return list(tasks.values_list("pk", flat=True)), [field_task(t) for t in changed], list(checklists)


def _enterprises(user, since):
    rows = (Enterprise.objects.visible_to(user).filter(status=EnterpriseStatus.ACTIVE)
            .select_related("park", "grid").order_by("name"))
    changed = rows if since is None else rows.filter(Q(updated_at__gt=since) | Q(park__updated_at__gt=since))
    return list(rows.values_list("pk", flat=True)), [
        {"id": e.pk, "name": e.name, "address": e.address, "park": e.park.name if e.park_id else "",
         "grid": e.grid.name, "status": e.status} for e in changed]


def _residents(user, since):
    from django.db.models import Max

    from wangge.community.models import Resident
    from wangge.community.services.care import special_groups

    rows = (special_groups(Resident.objects.visible_to(user), viewer=user).select_related("compound")
            .annotate(last_visit=Max("care_visits__visited_on")).order_by("compound__name", "building", "room", "pk"))
    changed = rows if since is None else rows.filter(Q(updated_at__gt=since) | Q(care_visits__created_at__gt=since))
    return list(rows.values_list("pk", flat=True)), [
        {"id": r.pk, "name": r.name, "compound": r.compound.name if r.compound_id else "", "building": r.building,
         "room": r.room, "last_visit": r.last_visit} for r in changed.distinct()]


@router.get("/sync", response=FieldSyncOut,
            summary="What the field app needs offline: open tasks, their checklists, the enterprises to visit. "
                    "Send `since` (the last server_time) and `have` (checklist ids held) to get only changes")
def field_sync(request, since: datetime.datetime | None = None, have: str = ""):
    user = request.user
    may_inspect, may_visit = user.can(Perm.INSPECT), user.can(Perm.VISIT_ENTERPRISES)
    may_care = user.can(Perm.EDIT_RESIDENTS)
    if not (may_inspect or may_visit or may_care):
        raise PermissionDenied
    now = timezone.now()
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since)
    if since is not None:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (a fuzzed -17:58 was a 500).
        try:
            since = since.astimezone(datetime.UTC)
        except OverflowError:  # year 1 or 9999 moved past the calendar's end: a full sync
            since = None
    held = {int(x) for x in have[:2000].split(",") if x.strip().isdecimal() and len(x.strip()) < 10}
    task_ids, tasks, checklists = _tasks(user, since, held) if may_inspect else ([], [], [])
    enterprise_ids, enterprises = _enterprises(user, since) if may_visit else ([], [])
    resident_ids, residents = _residents(user, since) if may_care else ([], [])
    return {"server_time": now, "radius_m": settings.INSPECTION_RADIUS_M, "task_ids": task_ids, "tasks": tasks,
            "checklists": checklists, "enterprise_ids": enterprise_ids, "enterprises": enterprises,
            "resident_ids": resident_ids, "residents": residents}
