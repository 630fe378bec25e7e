"""Ids named in a request body, checked against the caller's scope where the body is validated.

`Ref("core.area")` is an id of a row the caller may name: for areas `Area.objects.choosable_by`, for
people `User.objects.choosable_by`, for departments the active ones, for every other model
`visible_to` (reference data without scoping: any row). An id outside scope, or of no row, is a 422
naming the field, with the same message either way (nothing leaks). The check runs inside the
schema's validation (Ninja passes the request in the validation context), so no endpoint can forget
it; forms use `choosable(label, user)` for their querysets. Every id is bounded to a positive 64-bit
integer, so no absurd number reaches the database. The OpenAPI document marks each such field with
`x-names` (the model label): the access test aims those fields at rows out of scope.
"""

from typing import Annotated

from django.apps import apps
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field, ValidationInfo
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1  # counts, numbers, years: far above any real one, far below what a database holds

# An id in a path, a filter or a body that names nothing scoped: only bounded.
Id = Annotated[int, Field(ge=0, le=MAX_ID)]
# A count or a number (house numbers, people, minutes) where nothing bounds it more tightly.
Count = Annotated[int, Field(ge=0, le=MAX_INT)]


def param_id(value) -> int | None:
    """A row id from a page's query string or a form post: None when none is given (not digits), the
    number otherwise — one beyond any database key becomes 0, an id no row has, so a filter by it finds
    nothing (SQLite refused such a number with a 500; the API bounds its ids by `Id`)."""
    text = str(value or "").strip()
    if not text.isdecimal():
        return None
    number = int(text)
    return number if number <= MAX_ID else 0


def choosable(label: str, user):
    """The rows of model `label` that `user` may name in a request or choose in a form."""
    manager = apps.get_model(label).objects
    if hasattr(manager, "choosable_by"):
        return manager.choosable_by(user)
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    return manager.all()


def out_of_scope():
    return PydanticCustomError("out_of_scope", _("Not found, or outside your area."))


def _user(info: ValidationInfo):
    request = (info.context or {}).get("request")
    return getattr(request, "user", None)


def _check_one(label: str):
    def check(value: int, info: ValidationInfo) -> int:
        user = _user(info)
        if user is not None and not choosable(label, user).filter(pk=value).exists():
            raise out_of_scope()
        return value

    return check


def _check_many(label: str):
    def check(values: list[int], info: ValidationInfo) -> list[int]:
        user = _user(info)
        if user is not None and values:
            found = set(choosable(label, user).filter(pk__in=values).values_list("pk", flat=True))
            if set(values) - found:
                raise out_of_scope()
        return values

    return check


def Ref(label: str):  # noqa: N802  (used as a type)
    """An id of a row of `label` the caller may name."""
    return Annotated[int, Field(ge=1, le=MAX_ID, json_schema_extra={"x-names": label}),
                     AfterValidator(_check_one(label))]


def Refs(label: str):  # noqa: N802
    """Ids of rows of `label` the caller may name (each once is enough)."""
    return Annotated[list[Id], Field(json_schema_extra={"x-names": label}), AfterValidator(_check_many(label))]


def _check_town(value: int, info: ValidationInfo) -> int:
    from .towns import choosable_towns

    user = _user(info)
    if user is not None and not choosable_towns(user).filter(pk=value).exists():
        raise out_of_scope()
    return value


# An id of a town the caller works in (any town for an administrator): where a town's own work (a
# campaign) is placed. Marked `core.area`, so the access test aims it at an area out of scope.
TownRef = Annotated[int, Field(ge=1, le=MAX_ID, json_schema_extra={"x-names": "core.area"}),
                    AfterValidator(_check_town)]

# The version an edit read (optimistic locking, core.services.save_versioned).
Version = Annotated[int, Field(ge=0, le=MAX_INT)]
# A signed whole number (a number answer on a checklist): bounded so no absurd one reaches the database.
Number = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
# A number of days to look back or ahead (a century at most: timedelta and dates stay in range).
Days = Annotated[int, Field(ge=0, le=36600)]
