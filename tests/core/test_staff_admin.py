"""Staff administration in the UI: users, roles, areas, deactivation, password reset."""

from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import Role

from ..conftest import PASSWORD


def test_admin_creates_a_grid_worker(world, login):
    client = login(world.users["admin"])
    response = client.post("/staff/users/new/", {
        "username": "wang", "full_name": "王网格", "email": "", "roles": [Role.GRID_WORKER],
        "areas": [world.grids["beihong1"].pk], "departments": [], "password": "Grid-worker-2022",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="wang")
    assert user.roles == {Role.GRID_WORKER}
    assert list(user.areas.all()) == [world.grids["beihong1"]]
    assert user.check_password("Grid-worker-2022")
    # The new user sees exactly the one grid's residents.
    client.force_login(user)
    html = client.get("/residents/").content.decode()
    assert world.residents["beihong1"].name in html and world.residents["linquan1"].name not in html


def test_weak_password_is_refused_with_a_message(world, login):
    client = login(world.users["admin"])
    response = client.post("/staff/users/new/", {
        "username": "weak", "full_name": "弱", "roles": [Role.GRID_WORKER], "password": "12345678"})
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()
    assert 'data-field="password"' in response.content.decode()


def test_roles_change_and_are_recorded(world, login):
    from wangge.core.models import AuditEntry

    cadre = world.users["cadre"]
    client = login(world.users["admin"])
    response = client.post(f"/staff/users/{cadre.pk}/", {
        "username": "cadre", "full_name": "cadre", "email": "", "roles": [Role.GRID_WORKER, Role.INSPECTOR],
        "areas": [world.grids["linquan2"].pk], "departments": [], "password": "", "version": cadre.version,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    cadre = User.objects.get(pk=cadre.pk)
    assert cadre.roles == {Role.GRID_WORKER, Role.INSPECTOR}
    assert cadre.check_password(PASSWORD)  # unchanged when left empty
    assert AuditEntry.objects.filter(content_type__model="userrole", action="delete").exists()


def test_deactivate_and_reset_password(world, login, client):
    admin = login(world.users["admin"])
    target = world.users["gridworker"]
    admin.post(f"/staff/users/{target.pk}/active/", {"active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    admin.post(f"/staff/users/{target.pk}/active/", {"active": "1"})
    response = admin.post(f"/staff/users/{target.pk}/password/", {"new_password": "New-password-2022"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active and target.check_password("New-password-2022")


def test_admin_cannot_deactivate_self(world, login):
    admin = world.users["admin"]
    login(admin).post(f"/staff/users/{admin.pk}/active/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


def test_areas_and_departments(world, login):
    client = login(world.users["admin"])
    response = client.post("/staff/areas/new/", {"code": "310105102022003", "name": "林泉第3网格",
                                                  "level": AreaLevel.GRID, "parent": world.hoods["linquan"].pk})
    assert response.status_code == 302
    assert Area.objects.get(code="310105102022003").path == "/310105102/310105102022/310105102022003/"
    duplicate = client.post("/staff/areas/new/", {"code": "310105102022003", "name": "x", "level": AreaLevel.GRID})
    assert duplicate.status_code == 200 and Area.objects.filter(code="310105102022003").count() == 1
    loop = client.post(f"/staff/areas/{world.town.pk}/", {
        "code": world.town.code, "name": world.town.name, "level": AreaLevel.TOWN,
        "parent": world.grids["linquan1"].pk, "version": world.town.version})
    assert loop.status_code == 200
    world.town.refresh_from_db()
    assert world.town.parent is None
    response = client.post("/staff/departments/new/", {"town": world.town.pk, "code": "PAB", "name": "平安办",
                                                        "short_name": "平安办", "is_active": "on"})
    assert response.status_code == 302 and Department.objects.filter(code="PAB").exists()


def test_a_password_reset_by_an_administrator_revokes_the_users_api_tokens(world, login, client):
    from wangge.core.models import ApiToken

    target = world.users["gridworker"]
    token = ApiToken.issue(target)[1]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    login(world.users["admin"]).post(f"/staff/users/{target.pk}/password/", {"new_password": "New-password-2022"})
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert not ApiToken.objects.filter(user=target).exists()


def _tokens(user) -> int:
    from django.db import connection

    with connection.cursor() as cursor:  # counted by SQL, not through the model under test
        cursor.execute("SELECT COUNT(*) FROM core_apitoken WHERE user_id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_a_password_set_on_the_edit_form_revokes_the_tokens_and_is_in_the_trail(world, login, client):
    from wangge.core.models import ApiToken, AuditEntry

    target = world.users["gridworker"]
    token = ApiToken.issue(target)[1]
    response = login(world.users["admin"]).post(f"/staff/users/{target.pk}/", {
        "username": "gridworker", "full_name": "gridworker", "email": "", "roles": [Role.GRID_WORKER],
        "areas": [world.grids["linquan1"].pk], "departments": [], "password": "Edited-password-2022",
        "version": target.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert _tokens(target) == 0
    entries = AuditEntry.objects.filter(content_type__model="user", object_id=str(target.pk), action="update")
    assert any("password" in entry.changes for entry in entries)


def test_the_roster_import_keeps_the_deactivation_rules(world):
    """The roster's 状态 column deactivates as the 停用 button does: never one's own account (the row is
    refused and nothing of the file is written), and the person's API tokens end."""
    from wangge.core.models import ApiToken
    from wangge.core.tabular.importer import run_import
    from wangge.core.tabular.kinds import get_kind

    admin, worker = world.users["admin"], world.users["gridworker"]
    ApiToken.issue(worker)
    header = "账号,姓名,角色,区域,状态\n"
    worker_row = f"gridworker,gridworker,网格员,{world.grids['linquan1'].code},已停用\n"
    own_row = "admin,admin,系统管理员,,已停用\n"
    own = run_import(get_kind("users"), (header + own_row + worker_row).encode(), "u.csv", admin)
    assert not own.ok and [(e.row, e.header, e.message) for e in own.errors] == [(2, "状态", "不能停用自己的账号。")]
    assert User.objects.filter(pk__in=[admin.pk, worker.pk], is_active=True).count() == 2 and _tokens(worker) == 1
    done = run_import(get_kind("users"), (header + worker_row).encode(), "u.csv", admin)
    assert done.ok and done.updated == 1
    assert not User.objects.get(pk=worker.pk).is_active and _tokens(worker) == 0
