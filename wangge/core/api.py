from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.pagination import Pages

from .models import Area, Department, User
from .roles import Perm
from .services import require
from .visibility import get_visible_or_404

router = Router(tags=["core"])


class AreaOut(Schema):
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str
    depth: int


class DepartmentOut(Schema):
    id: int
    town_id: int
    code: str
    name: str
    short_name: str
    is_active: bool


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    permissions: list[str]
    area_ids: list[int]
    department_ids: list[int]


class UserOut(Schema):
    id: int
    username: str
    full_name: str
    is_active: bool
    roles: list[str]
    area_ids: list[int]
    department_ids: list[int]

    # From prefetched relations: one query per relation for the whole page, not per user.
    @staticmethod
    def resolve_roles(obj):
        return sorted(r.role for r in obj.role_assignments.all())

    @staticmethod
    def resolve_area_ids(obj):
        return [a.pk for a in obj.areas.all()]

    @staticmethod
    def resolve_department_ids(obj):
        return [d.pk for d in obj.departments.all()]


def _user_out(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name, "is_active": user.is_active,
        "roles": sorted(user.roles), "permissions": sorted(user.permissions),
        "area_ids": [a.pk for a in user.areas.all()], "department_ids": list(user.department_ids),
    }


@router.get("/me", response=MeOut, summary="The signed-in user, roles and scope")
def me(request):
    return _user_out(request.user)


@router.get("/areas", response=list[AreaOut], summary="Areas the user may see")
@paginate(Pages, page_size=200)
def list_areas(request, level: str | None = None):
    areas = Area.objects.visible_to(request.user)
    return areas.filter(level=level) if level else areas


@router.get("/areas/{int:area_id}", response=AreaOut)
def get_area(request, area_id: Id):
    return get_visible_or_404(Area, request.user, pk=area_id)


@router.get("/departments", response=list[DepartmentOut])
def list_departments(request):
    return Department.objects.visible_to(request.user)


@router.get("/users", response=list[UserOut], summary="Staff (administrators)")
@paginate(Pages, page_size=100)
def list_users(request):
    require(request.user, Perm.MANAGE_STAFF)
    return User.objects.visible_to(request.user).distinct().prefetch_related("role_assignments", "areas",
                                                                             "departments")


@router.get("/users/{int:user_id}", response=UserOut)
def get_user(request, user_id: Id):
    require(request.user, Perm.MANAGE_STAFF)
    return get_object_or_404(User.objects.visible_to(request.user).distinct(), pk=user_id)
