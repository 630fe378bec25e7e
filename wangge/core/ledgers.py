"""Ledger kinds of core: `areas` (the area tree by code) and `users` (the staff roster)."""

import re

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from . import services
from .models import Area, AreaLevel, Department, User, ancestors
from .roles import Perm, Role
from .tabular.columns import Column, header_key, split_many
from .tabular.kinds import LedgerKind, RowError, register, sync
from .validators import normalise

CODE = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
ACTIVE_CHOICES = [("1", _l("active")), ("0", _l("deactivated"))]


def active_label(active: bool) -> str:
    return str(ACTIVE_CHOICES[0][1] if active else ACTIVE_CHOICES[1][1])


@register
class AreaKind(LedgerKind):
    name = "areas"
    label = _l("Areas")
    model = Area
    import_permission = Perm.MANAGE_STAFF
    export_permission = Perm.MANAGE_STAFF
    columns = [
        Column("code", _l("Area code"), required=True, aliases=("编码", "code", "网格编码", "区域代码"),
               example="310105102022001"),
        Column("name", _l("Area name"), required=True, aliases=("名称", "name", "网格名称"), example="林泉第1网格"),
        Column("level", _l("Level"), required=True, aliases=("类型", "级别"), choices=lambda: AreaLevel.choices,
               example="网格"),
        Column("parent", _l("Parent area code"), aliases=("上级编码", "上级区域", "parent_code"),
               example="310105102022", help=_l("Empty only for the top of the tree.")),
    ]

    def key(self, cleaned):
        return cleaned["code"]

    def prepare(self, actor, raw_rows):
        codes = {normalise(r.get("code", "")) for r in raw_rows} | {normalise(r.get("parent", "")) for r in raw_rows}
        return {"db": set(Area.objects.filter(code__in=codes - {""}).values_list("code", flat=True)),
                "file": {normalise(r.get("code", "")) for r in raw_rows}}

    def clean(self, actor, row, context):
        errors = {}
        code, parent = normalise(row.get("code", "")), normalise(row.get("parent", ""))
        name = row.get("name", "").strip()
        if not CODE.match(code):
            errors["code"] = _("A code is 1 to 32 letters or digits.")
        if not name or len(name) > 100:
            errors["name"] = _("A name is required (at most 100 characters).")
        level = self.columns[2].pick(row.get("level", ""), errors)
        if not level and "level" not in errors:
            errors["level"] = _("Required.")
        if parent and parent == code:
            errors["parent"] = _("An area cannot be its own parent.")
        elif parent and parent not in context["db"] and parent not in context["file"]:
            errors["parent"] = _("No area has this code, in the system or in this file.")
        if errors:
            raise RowError(errors)
        return {"code": code, "name": name, "level": level, "parent": parent}

    def existing(self, actor, keys):
        return {a.code: a for a in Area.objects.filter(code__in=keys).select_related("parent")}

    def order(self, cleaned_rows):
        parents = {c["code"]: c["parent"] for _n, c in cleaned_rows}

        def depth(code, seen=()):
            parent = parents.get(code)
            return 0 if not parent or parent not in parents or parent in seen else 1 + depth(parent, (*seen, code))

        return sorted(cleaned_rows, key=lambda item: depth(item[1]["code"]))

    def apply(self, actor, cleaned, current):
        parent = Area.objects.get(code=cleaned["parent"]) if cleaned["parent"] else None
        if current is not None:
            same = (current.name, current.level, current.parent.code if current.parent else "") == (
                cleaned["name"], cleaned["level"], cleaned["parent"])
            if same:
                return "unchanged"
            current.name, current.level, current.parent = cleaned["name"], cleaned["level"], parent
            services.save_area(actor, current, current.version)
            return "updated"
        services.save_area(actor, Area(code=cleaned["code"], name=cleaned["name"], level=cleaned["level"],
                                       parent=parent))
        return "created"

    def export_queryset(self, actor, unmasked=False):
        return Area.objects.visible_to(actor).select_related("parent")

    def filter(self, queryset, params, user=None):
        query = params.get("q", "").strip()
        return queryset.filter(Q(name__icontains=query) | Q(code__startswith=query)) if query else queryset

    def export_row(self, obj, unmasked=False):
        return [obj.code, obj.name, obj.get_level_display(), obj.parent.code if obj.parent else ""]


@register
class UserKind(LedgerKind):
    name = "users"
    label = _l("Staff roster")
    model = User
    import_permission = Perm.MANAGE_STAFF
    export_permission = Perm.MANAGE_STAFF
    masked = {"password"}
    columns = [
        Column("username", _l("Username"), required=True, aliases=("账号", "登录名", "username"), example="wangwu"),
        Column("full_name", pgettext_lazy("person", "Name"), required=True, aliases=("姓名", "full_name"),
               example="王五"),
        Column("roles", _l("Roles"), aliases=("角色", "roles"), choices=lambda: Role.choices,
               many=True, example="网格员", help=_l("Several roles separated by 、")),
        Column("departments", _l("Departments"), aliases=("部门", "所属部门"), many=True, example="市场监督管理所",
               help=_l("Department codes or names, separated by 、")),
        Column("areas", _l("Area codes"), aliases=("区域", "负责区域", "网格"), many=True, example="310105102022001",
               width=24, help=_l("Codes of the areas this person works in, separated by 、")),
        Column("email", _l("Email"), aliases=("邮箱", "email")),
        Column("is_active", _l("Status"), aliases=("状态", "启用"), choices=lambda: ACTIVE_CHOICES, example="启用"),
        Column("password", _l("Initial password"), aliases=("密码", "初始密码"),
               help=_l("Only for new accounts; empty: an administrator sets it later.")),
    ]

    def key(self, cleaned):
        return cleaned["username"].lower()

    def prepare(self, actor, raw_rows):
        # Departments by code or name: the same name may be a department of several towns (each its own 市场所).
        departments: dict[str, list] = {}
        for d in Department.objects.visible_to(actor):
            for name in {d.code, d.name, d.short_name} - {""}:
                departments.setdefault(header_key(name), []).append(d)
        codes = {c for r in raw_rows for c in split_many(normalise(r.get("areas", "")))}
        areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
        towns = dict(Area.objects.filter(level=AreaLevel.TOWN).values_list("path", "pk"))
        return {"departments": departments, "areas": areas, "towns": towns}

    def clean(self, actor, row, context):
        errors = {}
        username = normalise(row.get("username", ""))
        if not USERNAME.match(username):
            errors["username"] = _("A username is letters, digits and @ . + - _ (at most 150).")
        full_name = row.get("full_name", "").strip()
        if not full_name or len(full_name) > 50:
            errors["full_name"] = _("A name is required (at most 50 characters).")
        role_map = self.columns[2].choice_map()
        roles, bad = set(), []
        for part in split_many(row.get("roles", "")):
            (roles.add(role_map[header_key(part)]) if header_key(part) in role_map else bad.append(part))
        if bad:
            errors["roles"] = _("Unknown roles: %(names)s") % {"names": "、".join(bad)}
        areas = []
        for code in split_many(normalise(row.get("areas", ""))):
            if code in context["areas"]:
                areas.append(context["areas"][code])
            else:
                errors["areas"] = _("No area has the code %(code)s.") % {"code": code[:32]}
        row_towns = {context["towns"][p] for a in areas for p in (*ancestors(a.path), a.path) if p in context["towns"]}
        departments = []
        for part in split_many(row.get("departments", "")):
            found = context["departments"].get(header_key(part), [])
            own = [d for d in found if d.town_id in row_towns] if len(found) > 1 else found  # the person's town's
            if len(own) == 1:
                departments.append(own[0])
            elif found:
                errors["departments"] = _("“%(name)s” is a department of several towns: give the person an area "
                                          "of their town.") % {"name": part[:30]}
            else:
                errors["departments"] = _("No department called “%(name)s”.") % {"name": part[:30]}
        active = self.columns[6].pick(row.get("is_active", ""), errors, "1")
        email = row.get("email", "").strip()
        if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
            errors["email"] = _("Not an email address.")
        password = row.get("password", "")
        if password:
            try:
                validate_password(password, User(username=username, full_name=full_name))
            except ValidationError as exc:
                errors["password"] = " ".join(exc.messages)
        if errors:
            raise RowError(errors)
        return {"username": username, "full_name": full_name, "roles": roles, "departments": departments,
                "areas": areas, "email": email, "is_active": active == "1", "password": password}

    def existing(self, actor, keys):
        return {u.username.lower(): u for u in User.objects.filter(username__in=keys).prefetch_related(
            "role_assignments", "departments", "areas")}

    def apply(self, actor, cleaned, current):
        links = {"roles": cleaned["roles"], "areas": cleaned["areas"], "departments": cleaned["departments"]}
        if current is not None:
            same = (
                current.full_name == cleaned["full_name"] and current.email == cleaned["email"]
                and current.is_active == cleaned["is_active"]
                and {r.role for r in current.role_assignments.all()} == cleaned["roles"]
                and {d.pk for d in current.departments.all()} == {d.pk for d in cleaned["departments"]}
                and {a.pk for a in current.areas.all()} == {a.pk for a in cleaned["areas"]}
            )
            if same:
                return "unchanged"
            current.full_name, current.email, current.is_active = (cleaned["full_name"], cleaned["email"],
                                                                   cleaned["is_active"])
            services.save_user(actor, current, expected_version=current.version, **links)
            return "updated"
        user = User(username=cleaned["username"], full_name=cleaned["full_name"], email=cleaned["email"],
                    is_active=cleaned["is_active"])
        if not cleaned["password"]:
            user.set_unusable_password()
        services.save_user(actor, user, password=cleaned["password"] or None, **links)
        return "created"

    def export_queryset(self, actor, unmasked=False):
        return User.objects.visible_to(actor).distinct().prefetch_related("role_assignments", "departments", "areas")

    def filter(self, queryset, params, user=None):
        query = params.get("q", "").strip()
        return queryset.filter(Q(username__icontains=query) | Q(full_name__icontains=query)) if query else queryset

    def export_row(self, obj, unmasked=False):
        return [
            obj.username, obj.full_name,
            "、".join(str(Role(r.role).label) for r in obj.role_assignments.all()),
            "、".join(d.name for d in obj.departments.all()),
            "、".join(a.code for a in obj.areas.all()),
            obj.email, active_label(obj.is_active), "",
        ]


@register
class DepartmentKind(LedgerKind):
    name = "departments"
    label = _l("Departments")
    model = Department
    import_permission = Perm.MANAGE_STAFF
    export_permission = Perm.MANAGE_STAFF
    columns = [
        Column("code", _l("Department code"), required=True, aliases=("编码", "code"), example="SJS"),
        Column("name", _l("Department name"), required=True, aliases=("名称", "部门", "name"),
               example="市场监督管理所"),
        Column("short_name", _l("Short name"), aliases=("简称",), example="市场所"),
        Column("is_active", _l("Status"), aliases=("状态", "启用"), choices=lambda: ACTIVE_CHOICES, example="启用"),
        Column("town", _l("Town"), aliases=("镇", "街镇", "所属镇", "town"), example="新泾镇",
               help=_l("The town's name or code; empty: your own town")),
    ]

    def key(self, cleaned):
        return f"{cleaned['town'].pk}:{cleaned['code']}"

    def prepare(self, actor, raw_rows):
        towns = {}
        for town in Area.objects.visible_to(actor).filter(level=AreaLevel.TOWN):
            towns[header_key(town.code)] = towns[header_key(town.name)] = town
        return {"towns": towns, "only": next(iter(towns.values())) if len(set(towns.values())) == 1 else None}

    def clean(self, actor, row, context):
        errors = {}
        town_text = row.get("town", "").strip()
        town = context["towns"].get(header_key(town_text)) if town_text else context["only"]
        if town is None:
            errors["town"] = (_("No town of yours is called “%(name)s”.") % {"name": town_text[:30]} if town_text
                              else _("Say which town the department belongs to."))
        code, name = normalise(row.get("code", "")), row.get("name", "").strip()
        short = row.get("short_name", "").strip()
        if not CODE.match(code):
            errors["code"] = _("A code is 1 to 32 letters or digits.")
        if not name or len(name) > 100:
            errors["name"] = _("A name is required (at most 100 characters).")
        if len(short) > 30:
            errors["short_name"] = _("At most 30 characters.")
        active = self.columns[3].pick(row.get("is_active", ""), errors, "1")
        if errors:
            raise RowError(errors)
        return {"town": town, "code": code, "name": name, "short_name": short, "is_active": active == "1"}

    def existing(self, actor, keys):
        codes = {k.split(":", 1)[1] for k in keys}
        return {f"{d.town_id}:{d.code}": d for d in Department.objects.filter(code__in=codes)}

    def apply(self, actor, cleaned, current):
        return sync(current, cleaned, ("name", "short_name", "is_active"),
                    save=lambda d: services.save_department(actor, d, d.version),
                    create=lambda: services.save_department(actor, Department(**cleaned)))

    def export_queryset(self, actor, unmasked=False):
        return Department.objects.visible_to(actor).select_related("town")

    def export_row(self, obj, unmasked=False):
        return [obj.code, obj.name, obj.short_name, active_label(obj.is_active), obj.town.name]
