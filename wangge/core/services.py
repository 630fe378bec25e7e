"""Verbs on staff, areas and departments, and the shared verbs every domain uses.

Everything that changes state goes through a function here (or an app's services.py), with the
acting user explicit, inside one transaction, so UI, API, imports and jobs share one path.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, towns
from .models import Area, AreaLevel, Department, User, UserRole
from .roles import Perm, Role, Scope


class StaleVersionError(ValidationError):
    """Someone else saved the record after this edit began."""

    def __init__(self):
        super().__init__(
            _("This record was changed by someone else after you opened it. Reload it and make your "
              "change again."),
            code="stale_version",
        )


def delete_unused(row) -> None:
    """Delete a row nothing protected refers to; otherwise refuse, naming what still holds it (a 409 in
    the API, a message on the page), and change nothing."""
    from collections import Counter
    from itertools import islice

    from django.db.models import ProtectedError, RestrictedError

    try:
        with transaction.atomic():
            row.delete()
    except (ProtectedError, RestrictedError) as exc:
        holders = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        counts = Counter(str(obj._meta.verbose_name_plural) for obj in islice(holders, 10000))
        what = "、".join(f"{name}（{count}）" for name, count in sorted(counts.items()))
        raise ValidationError(_("This cannot be deleted: %(what)s still refer to it. Close it instead, or remove "
                                "those first.") % {"what": what}, code="in_use") from None


def require(user: User, perm: str) -> None:
    if not (user and user.is_authenticated and user.can(perm)):
        raise PermissionDenied


def save_versioned(obj, expected_version: int | None, update_fields: list[str] | None = None):
    """Save `obj` only if nobody saved it since `expected_version` was read; bump the version."""
    model = type(obj)
    stored: set[str] = set()
    if obj.pk is not None and expected_version is not None:
        # Keys the database keeps (a key without a constraint is looked up as Django would).
        relations = [f for f in model._meta.concrete_fields if (f.many_to_one or f.one_to_one) and f.db_constraint]
        # No ordering: a default ordering across a nullable relation would put the lock on an outer join.
        current = list(model._base_manager.select_for_update().filter(pk=obj.pk).order_by().values_list(
            "version", *(f.attname for f in relations)))
        if [row[0] for row in current] != [expected_version]:
            raise StaleVersionError
        stored = {f.name for f, value in zip(relations, current[0][1:], strict=True)
                  if getattr(obj, f.attname) == value}
        obj.version = expected_version + 1
    # A client-made id (a retried submission) is left to the database's unique constraint: the service
    # catches its IntegrityError and answers with the first record. Checked here, a retry racing the
    # first submission would get a raw "already exists" 422 instead.
    _full_clean(obj, {"client_id"} if any(f.name == "client_id" for f in model._meta.fields) else set(), stored)
    obj.save(update_fields=update_fields and [*update_fields, "version"])
    return obj


def _full_clean(obj, exclude: set[str], stored: set[str]) -> None:
    """Model.full_clean, except that a foreign key still holding the value stored in the row (locked above)
    is not looked up again: Django asks the database whether each key's target exists, a query per key
    (three of a premises update's seven), and the database's own constraint keeps a stored key's target.
    Unique and other constraints are checked on every field as full_clean does."""
    errors: dict = {}
    for step in (lambda: obj.clean_fields(exclude=exclude | stored), obj.clean):
        try:
            step()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    for step in (obj.validate_unique, obj.validate_constraints):
        exclude = exclude | {name for name in errors if name != NON_FIELD_ERRORS}  # as full_clean: fields that passed
        try:
            step(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def reveal(actor: User, obj, field: str, reason: str) -> str:
    """Return one protected value in full and log who saw it, when and why."""
    require(actor, Perm.REVEAL_PERSONAL)
    if field not in getattr(obj, "PROTECTED_FIELDS", {}):
        raise ValidationError({"field": _("This field cannot be revealed.")})
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why you need to see the full value.")})
    audit.record(obj, "reveal", {"field": field, "reason": reason[:200]})
    return getattr(obj, field)


def record_export(actor: User, model, rows: int, masked: bool) -> None:
    audit.record(model, "export", {"rows": rows, "masked": masked, "by": actor.get_username()})


# --- staff administration -------------------------------------------------------------------

# An administrator manages every town; a town administrator (Scope.TOWN) only the areas, departments and
# staff of their own towns, and each verb below checks it, whichever page, API, import or command calls it.

def _whole_deployment(actor: User) -> bool:
    return Scope.ALL in actor.scopes


def _require_in_towns(actor: User, *, areas=(), departments=()) -> None:
    """Every area and department named lies in one of the actor's towns."""
    area_ids = {a.pk for a in areas}
    if area_ids - set(Area.objects.in_towns(actor.town_ids).filter(pk__in=area_ids).values_list("pk", flat=True)):
        raise ValidationError({"areas": _("Choose areas of your own town.")})
    if any(d.town_id not in actor.town_ids for d in departments):
        raise ValidationError({"departments": _("Choose departments of your own town.")})


def _require_staff_of_town(actor: User, user: User) -> None:
    """A town administrator acts on the staff of their towns only, and never on an administrator."""
    if _whole_deployment(actor) or user.pk is None:
        return
    if user.is_superuser or not User.objects.visible_to(actor).filter(pk=user.pk).exists() or (
            user.role_assignments.filter(role=Role.ADMIN).exists()):
        raise PermissionDenied


@transaction.atomic
def save_area(actor: User, area: Area, expected_version: int | None = None) -> Area:
    require(actor, Perm.MANAGE_STAFF)
    if not _whole_deployment(actor):
        # Below a town of theirs, never a town or a district: those are the whole deployment's.
        mine = Area.objects.in_towns(actor.town_ids)
        if (area.pk and not mine.filter(pk=area.pk).exists()) or area.level in (AreaLevel.TOWN,
                                                                                 AreaLevel.DISTRICT):
            raise PermissionDenied
        if not mine.filter(pk=area.parent_id).exists():
            raise ValidationError({"parent": _("Choose an area of your own town.")})
    if area.parent_id and area.pk and area.parent.path.startswith(area.path or "\0"):
        raise ValidationError({"parent": _("An area cannot be moved under itself.")})
    return save_versioned(area, expected_version)


@transaction.atomic
def save_department(actor: User, department: Department, expected_version: int | None = None) -> Department:
    """A department of a town: its code and name are unique within the town (the same short name, 市场监管所,
    in every town)."""
    require(actor, Perm.MANAGE_STAFF)
    if department.pk:
        towns.require_town(actor, Department.objects.filter(pk=department.pk).values_list("town_id", flat=True)
                           .first())
    if not _whole_deployment(actor) and department.town_id not in actor.town_ids:
        raise ValidationError({"town": _("Choose your own town.")})
    return save_versioned(department, expected_version)


@transaction.atomic
def save_user(actor: User, user: User, *, roles, areas, departments, password: str | None = None,
              expected_version: int | None = None) -> User:
    """Create or update a member of staff with their roles, areas and departments. A town administrator
    grants roles within their towns only: areas and departments of those towns, never the administrator's
    role, and the person stays in their sight (at least one area or department of the town)."""
    require(actor, Perm.MANAGE_STAFF)
    areas, departments = list(areas), list(departments)
    if not _whole_deployment(actor):
        _require_staff_of_town(actor, user)
        if Role.ADMIN in set(roles):
            raise ValidationError({"roles": _("Only an administrator grants the administrator's role.")})
        _require_in_towns(actor, areas=areas, departments=departments)
        if not areas and not departments:
            raise ValidationError({"areas": _("Give the person an area or a department of your town.")})
    # The edit form and the roster import change a person's password and standing here too: the rules of
    # set_active and reset_password hold on every path (never one's own deactivation; a deactivation or a
    # new password ends the API tokens issued before, and a new password is in the trail).
    was_active = User.objects.filter(pk=user.pk).values_list("is_active", flat=True).first() if user.pk else None
    deactivated = bool(was_active) and not user.is_active
    if deactivated and user.pk == actor.pk:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    if password:
        user.set_password(password)
    save_versioned(user, expected_version)
    if was_active is not None and (deactivated or password):
        _end_access(user, new_password=bool(password))
    user.areas.set(areas)
    user.departments.set(departments)
    wanted = set(roles)
    have = set(user.role_assignments.values_list("role", flat=True))
    for role in have - wanted:
        user.role_assignments.get(role=role).delete()
    for role in sorted(wanted - have):
        UserRole.objects.create(user=user, role=role)
    for cached in ("roles", "scopes", "permissions", "area_paths", "department_ids", "town_ids", "town_area_ids"):
        user.__dict__.pop(cached, None)
    return user


@transaction.atomic
def set_active(actor: User, user: User, active: bool) -> User:
    require(actor, Perm.MANAGE_STAFF)
    _require_staff_of_town(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        _end_access(user, new_password=False)
    return user


@transaction.atomic
def reset_password(actor: User, user: User, new_password: str) -> User:
    from django.contrib.auth.password_validation import validate_password

    require(actor, Perm.MANAGE_STAFF)
    _require_staff_of_town(actor, user)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _end_access(user, new_password=True)
    return user


def _end_access(user: User, *, new_password: bool) -> None:
    """A deactivation or a new password ends every way in the person had: the API tokens issued before are
    revoked (sessions end by themselves: Django refuses an inactive user and a changed password's hash).
    A new password is in the trail, as `***`."""
    user.api_tokens.all().delete()
    if new_password:
        audit.record(user, "update", {"password": ["***", "***"]})
