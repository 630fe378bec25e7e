"""A list leaves the screen: a kind + filters + user -> an .xlsx/.csv file, or the rows of a printed
page. Plain functions of those three (no request), so a background worker can run them (issue #21);
the rows come from the kind, which takes them through visible_to and masks them as the list does."""

import datetime

from django.utils import formats, timezone

from . import services
from .tabular.heading import heading_of
from .tabular.kinds import LedgerKind
from .tabular.lookups import PersonCell
from .tabular.writing import export_csv, export_workbook

PRINT_MAX_ROWS = 2000  # a longer list is exported, not printed


def export_file(kind: LedgerKind, user, params, fmt: str, unmasked: bool = False) -> tuple[bytes, int]:
    writer = export_csv if fmt == "csv" else export_workbook
    body, count = writer(kind, kind.rows(user, params, unmasked=unmasked), unmasked=unmasked,
                         heading=heading_of(kind, params, user).line())
    services.record_export(user, kind.model, count, masked=not unmasked)
    return body, count


def shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, PersonCell):  # a reader wants the name; the username is for re-importing
        return value.name
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "Y-m-d")
    return str(value)


def print_table(kind: LedgerKind, user, params) -> dict:
    """The heading, the column headings and at most PRINT_MAX_ROWS rows as text; logged like an export."""
    rows, more = [], False
    for number, obj in enumerate(kind.rows(user, params)):
        if number == PRINT_MAX_ROWS:
            more = True
            break
        rows.append([shown(v) for v in kind.export_row(obj)])
    services.record_export(user, kind.model, len(rows), masked=True)
    columns = kind.export_columns()
    total = sum(c.width for c in columns) or 1
    return {"heading": heading_of(kind, params, user), "rows": rows, "more": more, "limit": PRINT_MAX_ROWS,
            "columns": [{"heading": c.heading().rstrip("*"), "percent": round(100 * c.width / total, 1),
                         "short": c.width <= 12} for c in columns]}
