"""Columns of a ledger and how a file's headers are matched to them."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext

from ..validators import normalise


def header_key(text) -> str:
    """Headers match whatever their width, spacing, case or required-marker."""
    text = normalise(str(text or "")).lower()  # normalise applies NFKC
    return _MARKS.sub("", text)


_MARKS = re.compile(r"[*：:（）()\[\]【】]")


MAX_LISTED = 30  # choices named in an error report's comment


@dataclass
class Column:
    key: str
    label: str  # lazy English msgid; the Chinese form heads templates and exports
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: Callable[[], list[tuple[str, str]]] | None = None  # (value, label) for drop-downs
    example: str = ""
    width: int = 16
    many: bool = False  # several values separated by 、 , ; or white space
    help: str = ""
    _choice_map: dict | None = field(default=None, repr=False, compare=False)

    def heading(self) -> str:
        with translation.override("zh-hans"):
            return gettext(self.label) + ("*" if self.required else "")

    def names(self) -> set[str]:
        names = {self.key, *self.aliases}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {header_key(n) for n in names}

    def allowed(self) -> str:
        """What a cell of this column may hold, in Chinese: the choices, else the help or an example."""
        with translation.override("zh-hans"):
            if self.choices:
                labels = list(dict.fromkeys(str(label) for _value, label in self.choices()))
                shown = "、".join(labels[:MAX_LISTED]) + ("…" if len(labels) > MAX_LISTED else "")
                text = gettext("Allowed: %(values)s") % {"values": shown}
                return text + (gettext(" (several separated by 、)") if self.many else "")
            if self.help:
                return str(self.help)
            return gettext("For example: %(example)s") % {"example": self.example} if self.example else ""

    def choice_map(self) -> dict[str, str]:
        """Accept a choice's code or its label, in Chinese or English (built once per column)."""
        if self._choice_map is None:
            self._choice_map = self._build_choice_map()
        return self._choice_map

    def pick(self, value: str, errors: dict, default: str = "") -> str:
        """The choice a cell names (by code or label); `default` when empty; an error when unknown."""
        if not value:
            return default
        found = self.choice_map().get(header_key(value))
        if found is None:
            errors[self.key] = gettext("“%(value)s” is not one of the choices.") % {"value": value[:30]}
        return found or default

    def _build_choice_map(self) -> dict[str, str]:
        mapping = {}
        for value, label in (self.choices() if self.choices else []):
            mapping[header_key(value)] = value
            mapping[header_key(label)] = value
            with translation.override("zh-hans"):
                mapping[header_key(str(label))] = value
            with translation.override("en"):
                mapping[header_key(str(label))] = value
        return mapping


SPLIT = re.compile(r"[、,，;；\s]+")


def split_many(value: str) -> list[str]:
    return [part for part in SPLIT.split(value or "") if part]


@dataclass
class HeaderMatch:
    positions: dict[str, int] = field(default_factory=dict)  # column key -> index in the file
    unknown: list[str] = field(default_factory=list)
    missing: list[Column] = field(default_factory=list)


def match_headers(headers: list, columns: list[Column]) -> HeaderMatch:
    result = HeaderMatch()
    lookup = {}
    for column in columns:
        for name in column.names():
            lookup.setdefault(name, column)
    for index, header in enumerate(headers):
        column = lookup.get(header_key(header))
        if column is None:
            if str(header or "").strip():
                result.unknown.append(str(header))
        elif column.key not in result.positions:
            result.positions[column.key] = index
    result.missing = [c for c in columns if c.required and c.key not in result.positions]
    return result


_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_day(text) -> datetime.date | None:
    """A date as ledgers write it: 2022-07-14, 2022/7/14, 2022.7.14, 2022年7月14日, 20220714, or a
    spreadsheet's 2022-07-14 00:00:00. None when it is not one (the caller reports the cell)."""
    words = re.sub(r"\s*([-/.年月日])\s*", r"\1", str(text or "")).split()
    text = normalise(words[0] if words else "").split("T")[0]  # the date without a time after it
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DAY.match(text)
    try:
        return datetime.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        return None
