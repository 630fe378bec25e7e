"""#24.4: every delete (the row's own delete, a queryset delete, a cascade) and every many-to-many change
(a user's areas and departments, a team's members) and role change leaves a trail entry with the actor
and the request id. The oracle is a direct SQL read of core_auditentry."""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from wangge.core import audit, services
from wangge.core.models import Area, User
from wangge.core.roles import Role
from wangge.core.trail import trail_of
from wangge.inspections import services as inspection_services
from wangge.inspections.choices import Shift
from wangge.inspections.models import Campaign, Task, Team
from wangge.places.models import RoadSegment

from ..inspections.helpers import campaign


def entries(model, pk, action) -> list[tuple]:
    """(actor_name, request_id, changes) of the trail rows, read with plain SQL."""
    content_type = ContentType.objects.get_for_model(model)
    with connection.cursor() as cursor:
        cursor.execute("SELECT actor_name, request_id, changes FROM core_auditentry WHERE content_type_id = %s "
                       "AND object_id = %s AND action = %s ORDER BY id", [content_type.pk, str(pk), action])
        return [(a, r, c if isinstance(c, dict) else json.loads(c)) for a, r, c in cursor.fetchall()]


def test_deletes_by_every_path_are_recorded(world):
    admin = world.users["admin"]
    segment = RoadSegment.objects.create(road="天山路", from_number=1, to_number=9, grid=world.grids["linquan2"])
    other = RoadSegment.objects.create(road="天山路", from_number=11, to_number=19, grid=world.grids["linquan2"])
    with audit.audit_context(actor=admin, request_id="req-delete-1"):
        segment.delete()  # the row's own delete
        RoadSegment.objects.filter(pk=other.pk).delete()  # a queryset delete
    own = entries(RoadSegment, other.pk, "delete")
    assert own == [("admin", "req-delete-1", own[0][2])] and own[0][2]["road"] == ["天山路", None]
    # A cascade: deleting a campaign's team takes nothing else, deleting the campaign takes its tasks.
    c = campaign(world)
    tasks = list(Task.objects.filter(campaign=c).values_list("pk", flat=True))
    assert tasks
    with audit.audit_context(actor=admin, request_id="req-delete-2"):
        Task.objects.filter(campaign=c).delete()
    for pk in tasks:
        assert [(a, r) for a, r, _c in entries(Task, pk, "delete")] == [("admin", "req-delete-2")]


def test_the_row_own_delete_is_recorded_once(world):
    segment = RoadSegment.objects.create(road="天山路", from_number=1, to_number=9, grid=world.grids["linquan2"])
    pk = segment.pk
    with audit.audit_context(actor=world.users["admin"], request_id="req-once"):
        segment.delete()
    assert len(entries(RoadSegment, pk, "delete")) == 1


def test_many_to_many_and_role_changes_are_recorded(world):
    admin, user = world.users["admin"], world.users["gridworker"]
    linquan1, linquan2 = world.grids["linquan1"], world.grids["linquan2"]
    with audit.audit_context(actor=admin, request_id="req-staff"):
        services.save_user(admin, user, roles=[Role.GRID_WORKER, Role.INSPECTOR], areas=[linquan2],
                           departments=[world.departments["market"]], expected_version=user.version)
    changes = [c for _a, r, c in entries(User, user.pk, "update") if r == "req-staff"]
    areas = [c["areas"] for c in changes if "areas" in c]
    # Gained 林泉第2网格, lost 林泉第1网格 (set() removes, then adds: the last entry holds the end state).
    assert areas[0][0] == [linquan1.pk] and areas[-1][1] == [linquan2.pk]
    assert [c["departments"] for c in changes if "departments" in c] == [[[], [world.departments["market"].pk]]]
    assert [c["roles"] for c in changes if "roles" in c] == [[["grid_worker"], ["grid_worker", "inspector"]]]
    with audit.audit_context(actor=admin, request_id="req-staff-2"):
        services.save_user(admin, user, roles=[Role.INSPECTOR], areas=[linquan2], departments=[],
                           expected_version=User.objects.get(pk=user.pk).version)
    changes = [c for a, r, c in entries(User, user.pk, "update") if r == "req-staff-2" and a == "admin"]
    assert [c["roles"] for c in changes if "roles" in c] == [[["grid_worker", "inspector"], ["inspector"]]]
    assert [c["departments"] for c in changes if "departments" in c] == [[[world.departments["market"].pk], []]]
    # The reverse side (an area's staff) is recorded on the user too.
    with audit.audit_context(actor=admin, request_id="req-reverse"):
        Area.objects.get(pk=linquan1.pk).staff.add(user)
    assert [c["areas"] for _a, r, c in entries(User, user.pk, "update") if r == "req-reverse"] == [
        [[linquan2.pk], sorted([linquan1.pk, linquan2.pk])]]
    # The user's page reads it in words: names, not ids.
    words = " ".join(f"{d[1]} {d[2]}" for row in trail_of(user) for d in row["details"])
    assert "林泉第1网格" in words and ("网格员" in words or "Grid worker" in words)


def test_team_members_changes_are_recorded(world):
    admin = world.users["admin"]
    c = campaign(world, plan=False)
    team = inspection_services.save_team(admin, Team(campaign=c, name="二组", shift=Shift.DAY),
                                         [world.users["inspector"], world.users["officer"]])
    with audit.audit_context(actor=admin, request_id="req-team"):
        team.members.remove(world.users["officer"])
    assert [c["members"] for _a, r, c in entries(Team, team.pk, "update") if r == "req-team"] == [
        [sorted([world.users["inspector"].pk, world.users["officer"].pk]), [world.users["inspector"].pk]]]
    with audit.audit_context(actor=admin, request_id="req-team-clear"):
        team.members.clear()
    assert [c["members"] for _a, r, c in entries(Team, team.pk, "update") if r == "req-team-clear"] == [
        [[world.users["inspector"].pk], []]]
    assert Campaign.objects.filter(pk=c.pk).exists()
