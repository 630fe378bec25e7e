"""What an exported or printed list says about itself: the town, the list, the filters in force, and
whose scope it holds. It is the first line of every export (the importer skips it) and the header
of a printed list, so a sheet passed upwards says that it holds one neighbourhood, not the town."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..roles import Scope


@dataclass(frozen=True)
class FilterWord:
    """One filter of a list page, said in words: `param=value` becomes "label：value's label"."""

    param: str
    label: str
    choices: Callable[[], list] | list | None = None  # (value, label) pairs
    model: type | None = None  # the parameter is the id of a row of this model: its name is said

    def say(self, value: str, user) -> str:
        if self.choices is not None:
            choices = self.choices() if callable(self.choices) else self.choices
            found = dict((str(v), str(label)) for v, label in choices).get(value)
            if found is None:
                return ""
            value = found
        elif self.model is not None:
            manager = self.model.objects
            rows = manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()  # never a foreign name
            row = rows.filter(pk=int(value)).first() if value.isdecimal() and len(value) < 12 else None
            if row is None:
                return ""
            value = str(row)
        return f"{self.label}：{value[:40]}"


def describe(params, words: list[FilterWord], user) -> list[str]:
    """The filters in force among `words`; values a list would ignore are left out, as the list does."""
    said = (w.say(str(params.get(w.param, "") or "").strip(), user) for w in words if params.get(w.param))
    return [s for s in said if s]


def town_name(user) -> str:
    from ..models import Area, AreaLevel

    towns = list(Area.objects.filter(level=AreaLevel.TOWN).order_by("path").only("name", "path"))
    mine = [t for t in towns if any(p.startswith(t.path) for p in user.area_paths)]
    return (mine or towns)[0].name if towns else ""


def scope_note(user) -> str:
    """'' when the user sees everything; otherwise the areas, departments or contract their rows come from."""
    scopes = user.scopes
    if Scope.ALL in scopes:
        return ""
    parts = []
    if Scope.AREA in scopes:
        parts += list(user.areas.order_by("path").values_list("name", flat=True))
    if Scope.DEPARTMENT in scopes:
        parts += list(user.departments.values_list("name", flat=True))
    if Scope.DOCTOR in scopes:
        parts.append(_("residents signed with you"))
    return _("Only your scope: %(scope)s") % {"scope": "、".join(parts) or "—"}


@dataclass
class Heading:
    town: str
    title: str
    filters: list[str] = field(default_factory=list)
    scope: str = ""
    at: str = ""

    def line(self) -> str:
        filters = _("Filters: %(filters)s") % {"filters": "；".join(self.filters)} if self.filters else _("All rows")
        parts = [self.scope, self.town, self.title, filters, _("Exported %(at)s") % {"at": self.at}]
        return " · ".join(p for p in parts if p)


def heading_of(kind, params, user) -> Heading:
    with translation.override("zh-hans"):
        return Heading(town=town_name(user), title=str(kind.label), filters=kind.describe(params, user),
                       scope=scope_note(user),
                       at=formats.date_format(timezone.localtime(), "DATETIME_FORMAT"))
