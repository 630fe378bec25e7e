"""All-or-nothing import of one file: every row is checked before anything is written, and a file
with any bad row writes nothing. A dry run does all of it and rolls back."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .. import audit
from ..crypto import mask_any
from .columns import match_headers
from .kinds import LedgerKind, RowError, row_errors_from
from .reading import Table, UnreadableFile, read_table

MAX_ROWS = 200_000


@dataclass
class CellError:
    row: int  # sheet row number, as Excel shows it
    column: str  # column letter
    header: str
    value: str
    message: str
    key: str = ""  # the kind's column key: the report names its allowed values

    def as_dict(self) -> dict:
        return self.__dict__.copy()


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_example: int = 0  # rows identical to the template's example row: never imported
    errors: list[CellError] = field(default_factory=list)
    file_error: str = ""
    dry_run: bool = False
    table: Table | None = None
    positions: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def summary(self) -> dict:
        return {"total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": len(self.errors), "file_error": self.file_error, "dry_run": self.dry_run,
                "skipped_example": self.skipped_example}


class _Rollback(Exception):
    pass


def _find_headers(table: Table, columns) -> tuple[Table, object]:
    """The headers are the first non-empty row, or the next one when the first is an export's heading
    line (the list, its filters and scope: see heading.py) and the next one has the columns."""
    match = match_headers(table.headers, columns)
    if (match.missing or not match.positions) and table.rows:
        number, headers = table.rows[0]
        second = match_headers(headers, columns)
        if not second.missing and second.positions:
            return Table(headers=headers, header_row=number, rows=table.rows[1:]), second
    return table, match


def _without_example(table: Table, columns, positions: dict[str, int]) -> tuple[Table, int]:
    """The template's example row (writing.py::template_workbook, row 2) is skipped wherever it stands:
    a row whose every recognised cell is exactly that column's example (empty where it has none). The
    examples refer to grids, compounds and doctors that need not exist in this town, so importing the
    template unchanged must not fail on them; change one cell and the row is the user's own."""
    example = {positions[c.key]: str(c.example) for c in columns if c.key in positions}
    if not any(example.values()):
        return table, 0

    def is_example(cells: list[str]) -> bool:
        return all((cells[i] if i < len(cells) else "") == value for i, value in example.items())

    kept = [(number, cells) for number, cells in table.rows if not is_example(cells)]
    return Table(headers=table.headers, header_row=table.header_row, rows=kept), len(table.rows) - len(kept)


def run_import(kind: LedgerKind, data: bytes, filename: str, actor, *, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    try:
        table = read_table(data, filename)
    except UnreadableFile as exc:
        result.file_error = str(exc)
        return result
    result.table = table
    if len(table.rows) > MAX_ROWS:
        result.file_error = _("The file has %(n)s rows; at most %(max)s can be imported at once.") % {
            "n": len(table.rows), "max": MAX_ROWS}
        return result
    table, match = _find_headers(table, kind.columns)
    result.table = table
    result.positions = match.positions
    if match.missing:
        result.file_error = _("Missing columns: %(names)s. Download the template to see the expected headers.") % {
            "names": "、".join(c.heading().rstrip("*") for c in match.missing)}
        return result
    # result.table keeps every row: an error report is the user's whole file, the example row too.
    table, result.skipped_example = _without_example(table, kind.columns, match.positions)
    result.total = len(table.rows)
    if not table.rows and result.skipped_example:
        return result  # the template as downloaded: nothing to import, and nothing wrong
    if not table.rows:
        result.file_error = _("The file has headers but no rows under them: nothing to import.")
        return result
    masked_columns = kind.masked

    def cell_error(row_number, key, message, row):
        index = match.positions.get(key)
        value = row.get(key, "")
        if key in masked_columns and value:
            value = mask_any(value)
        header = table.headers[index] if index is not None else key
        letter = get_column_letter(index + 1) if index is not None else ""
        return CellError(row_number, letter, header, value, message, key)

    raw_rows = [(n, {key: (cells[i] if i < len(cells) else "") for key, i in match.positions.items()})
                for n, cells in table.rows]
    context = kind.prepare(actor, [r for _, r in raw_rows])
    cleaned_rows, seen = [], {}
    first_key = kind.columns[0].key
    for done, (number, row) in enumerate(raw_rows, start=1):
        try:
            cleaned = kind.clean(actor, row, context)
            key = kind.key(cleaned)
            if key in seen:
                raise RowError({first_key: _("Same record as row %(row)s of this file.") % {"row": seen[key]}})
            seen[key] = number
            cleaned_rows.append((number, cleaned))
        except RowError as exc:
            result.errors.extend(cell_error(number, k, m, row) for k, m in exc.errors.items())
        except ValidationError as exc:
            result.errors.extend(cell_error(number, k, m, row)
                                 for k, m in row_errors_from(exc, first_key).errors.items())
        if progress and done % 500 == 0:
            progress(done, 2 * len(raw_rows))
    if result.errors:
        return result

    rows_by_number = dict(raw_rows)
    try:
        with audit.audit_context(actor=actor, request_id=audit.current().request_id or None), transaction.atomic():
            current = kind.existing(actor, [kind.key(c) for _, c in cleaned_rows])
            new_rows = []
            for done, (number, cleaned) in enumerate(kind.order(cleaned_rows), start=1):
                if kind.bulk_create and current.get(kind.key(cleaned)) is None:
                    new_rows.append((number, cleaned))
                    continue
                # No savepoint per row: services refuse (ValidationError) before writing, and the
                # whole file rolls back on any refusal anyway.
                try:
                    outcome = kind.apply(actor, cleaned, current.get(kind.key(cleaned)))
                    setattr(result, outcome, getattr(result, outcome) + 1)
                except RowError as exc:
                    result.errors.extend(cell_error(number, k, m, rows_by_number[number])
                                         for k, m in exc.errors.items())
                except ValidationError as exc:
                    result.errors.extend(cell_error(number, k, m, rows_by_number[number])
                                         for k, m in row_errors_from(exc, first_key).errors.items())
                if progress and done % 500 == 0:
                    progress(len(raw_rows) + done, 2 * len(raw_rows))
            if new_rows and not result.errors:
                failures = kind.create_many(actor, [c for _, c in new_rows])
                for index, exc in failures.items():
                    number = new_rows[index][0]
                    result.errors.extend(cell_error(number, k, m, rows_by_number[number])
                                         for k, m in exc.errors.items())
                result.created += len(new_rows) - len(failures)
            if not result.errors:
                kind.after_import(actor, [c for _, c in cleaned_rows])
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if result.errors:
            result.created = result.updated = result.unchanged = 0
    if progress:
        progress(2 * len(raw_rows), 2 * len(raw_rows))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result
