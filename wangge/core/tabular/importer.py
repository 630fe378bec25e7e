"""All-or-nothing import of one file, read and written in chunks.

The file is streamed (reading.py) and taken a chunk at a time: each chunk's rows are checked, looked
up, created or updated and audited before the next is read, so memory holds one chunk whatever the
file's length. Everything runs in one transaction: a bad row anywhere, even in the last chunk, rolls
back what the chunks before it wrote, and the file writes nothing. After the first bad row the
remaining rows are still checked (the report names every problem) but nothing more is written. A dry
run does all of it and rolls back.

A kind that remembers its rows (digests.py) recognises a file it imported before, bytes and all, while
every row's record is as that import left it: counted unchanged without reading the file; and the same
rows in other bytes (a file saved again) by their fingerprint, read once without taking the rows one by one.

A kind whose rows stand alone (`LedgerKind.streams`) goes in chunks of IMPORT_CHUNK_ROWS; the others
(areas before their children, a file's own codes as parents) take the whole file as one chunk.
"""

import contextlib
import gc
import operator
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..crypto import mask_any
from . import digests
from .columns import match_headers
from .kinds import LedgerKind, RowError, row_errors_from
from .reading import Source, Table, UnreadableFile, open_sheet

PROGRESS_EVERY = 500  # rows between progress reports within a chunk


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: as Excel names a column (openpyxl's get_column_letter, without importing
    openpyxl into every import: half a second of a command's run)."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


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
    table: Table | None = None  # the headers and their row (the rows were streamed, not kept)
    positions: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0  # rows under the headers, the example row included (the error report's size)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    def summary(self) -> dict:
        return {"total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "errors": len(self.errors), "file_error": self.file_error, "dry_run": self.dry_run,
                "skipped_example": self.skipped_example}


class _Rollback(Exception):
    pass


_pauses = {"count": 0, "was_enabled": True}
_pause_lock = threading.Lock()


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused while a file is imported (counted, so overlapping imports in
    one process restore it once): a chunk allocates hundreds of thousands of objects, and full
    collections walking them cost about a sixth of the import (benchmarks/import_bench.py). The
    young generations are still collected after each chunk (`_Run.chunk`), so memory stays flat."""
    with _pause_lock:
        if _pauses["count"] == 0:
            _pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _pauses["count"] += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses["count"] -= 1
            if _pauses["count"] == 0 and _pauses["was_enabled"]:
                gc.enable()


class _FileError(Exception):
    pass


def _find_headers(rows: Iterator, columns) -> tuple[Table, object]:
    """The headers are the first non-empty row, or the next one when the first is an export's heading
    line (the list, its filters and scope: see heading.py) and the next one has the columns. The
    rows under them stay in `rows` (a row read to look at it is put back)."""
    first = next(rows, None)
    if first is None:
        raise _FileError(_("The file has no rows."))
    number, headers = first
    match = match_headers(headers, columns)
    if match.missing or not match.positions:
        second = next(rows, None)
        if second is not None:
            candidate = match_headers(second[1], columns)
            if not candidate.missing and candidate.positions:
                return Table(headers=second[1], header_row=second[0], rows=[]), candidate
            rows.push(second)
    return Table(headers=headers, header_row=number, rows=[]), match


class _Peekable:
    def __init__(self, rows):
        self.rows, self.back = rows, []

    def __iter__(self):
        return self

    def __next__(self):
        return self.back.pop() if self.back else next(self.rows)

    def push(self, row) -> None:
        self.back.append(row)


def _example_check(columns, positions: dict[str, int]):
    """The template's example row (writing.py::template_workbook, row 2) is skipped wherever it stands:
    a row whose every recognised cell is exactly that column's example (empty where it has none). The
    examples refer to grids, compounds and doctors that need not exist in this town, so importing the
    template unchanged must not fail on them; change one cell and the row is the user's own."""
    example = {positions[c.key]: str(c.example) for c in columns if c.key in positions}
    if not any(example.values()):
        return lambda cells: False
    last = max(example)
    pick = operator.itemgetter(*sorted(example))  # the cells to compare, in one call: it runs on every row
    expected = pick([example.get(i, "") for i in range(last + 1)])

    def check(cells) -> bool:
        if len(cells) > last:
            return pick(cells) == expected
        return all((cells[i] if i < len(cells) else "") == value for i, value in example.items())

    return check


class _Progress:
    """done/total over two passes of every row (checked, then written); never past the total, never back."""

    def __init__(self, report: Callable[[int, int], None] | None, estimate: int):
        self.report, self.total, self.done, self.said = report, max(2 * estimate, 1), 0, -1

    def add(self, rows: int) -> None:
        self.done += rows
        shown = min(self.done, self.total - 1)
        if self.report and shown > self.said:
            self.said = shown
            self.report(shown, self.total)

    def finish(self) -> None:
        if self.report:
            self.report(self.total, self.total)


class _Run:
    """One import: the file's chunks through clean, look-up and write, counting into `result`."""

    def __init__(self, kind: LedgerKind, actor, result: ImportResult, table: Table, match, progress: _Progress,
                 dry_run: bool = False, file_digest: bytes | None = None, content: bytes | None = None):
        self.kind, self.actor, self.result, self.table, self.progress = kind, actor, result, table, progress
        self.dry_run = dry_run
        self.file_digest, self.content = file_digest, content
        self.file = None  # the ImportFile this import marks its digests with: taken at the first write
        self.positions = match.positions
        self.first_key = kind.columns[0].key
        self.seen: dict[int, int] = {}  # hash of each key -> its first row (keys themselves are not kept)
        self.writing = True
        self.digest: digests.RowDigest | None = None  # a kind that remembers rows: set at the first chunk
        self.remembered = 0  # digests written

    def row_of(self, cells: list[str]) -> dict[str, str]:
        """A row's recognised cells by column key (an absent cell is empty)."""
        return {key: (cells[i] if i < len(cells) else "") for key, i in self.positions.items()}

    def cell_error(self, row_number, key, message, row) -> CellError:
        index = self.positions.get(key)
        value = row.get(key, "")
        if key in self.kind.masked and value:
            value = mask_any(value)
        header = self.table.headers[index] if index is not None else key
        letter = column_letter(index + 1) if index is not None else ""
        return CellError(row_number, letter, header, value, message, key)

    def errors_of(self, number, row, exc) -> None:
        if isinstance(exc, ValidationError):
            exc = row_errors_from(exc, self.first_key)
        self.result.errors.extend(self.cell_error(number, k, m, row) for k, m in exc.errors.items())

    def chunk(self, raw_cells: list[tuple[int, list[str]]]) -> None:
        kind, actor = self.kind, self.actor
        row_digests, known = {}, {}
        if kind.remembers:
            if self.digest is None:  # inside the import's transaction: the reference data as it writes
                self.digest = digests.RowDigest(kind.generation(actor), self.positions)
            row_digests = {number: self.digest(cells) for number, cells in raw_cells}
            known = digests.known(kind, actor, list(row_digests.values()))
        # Only rows not recognised by their digest are taken apart by column, looked up and cleaned.
        raw = {number: self.row_of(cells) for number, cells in raw_cells
               if not known or row_digests[number] not in known}
        context = kind.prepare(actor, list(raw.values()))
        cleaned_rows = []
        for done, (number, cells) in enumerate(raw_cells, start=1):
            try:
                # A row imported before into a record still as it left it: unchanged, not cleaned.
                known_key = known.get(row_digests[number]) if known else None
                cleaned = kind.clean(actor, raw[number], context) if known_key is None else None
                key = hash(known_key if known_key is not None else kind.key(cleaned))
                if key in self.seen:
                    raise RowError({self.first_key: _("Same record as row %(row)s of this file.") % {
                        "row": self.seen[key]}})
                self.seen[key] = number
                if cleaned is None:
                    self.result.unchanged += 1
                else:
                    cleaned_rows.append((number, cleaned))
            except (RowError, ValidationError) as exc:
                self.errors_of(number, raw.get(number) or self.row_of(cells), exc)
            if done % PROGRESS_EVERY == 0:
                self.progress.add(PROGRESS_EVERY)
        self.progress.add(len(raw_cells) % PROGRESS_EVERY)
        self.writing = self.writing and not self.result.errors
        if self.writing:
            self.write(cleaned_rows, raw)
        if self.writing and row_digests and not self.dry_run:
            if self.file is None:
                self.file = digests.file_for(kind, self.file_digest, self.content)
            if cleaned_rows:
                self.remember(cleaned_rows, row_digests)
            if known:
                digests.mark(kind, list(known), self.file.pk)
        self.progress.add(len(raw_cells))
        gc.collect(1)  # what this chunk left in cycles (the full collector is paused: _collector_paused)

    def write(self, cleaned_rows: list[tuple[int, dict]], raw: dict[int, dict]) -> None:
        kind, actor, result = self.kind, self.actor, self.result
        current = kind.existing(actor, [kind.key(c) for _n, c in cleaned_rows])
        new_rows = []
        for number, cleaned in kind.order(cleaned_rows):
            if kind.bulk_create and current.get(kind.key(cleaned)) is None:
                new_rows.append((number, cleaned))
                continue
            # No savepoint per row: services refuse (ValidationError) before writing, and the
            # whole file rolls back on any refusal anyway.
            try:
                outcome = kind.apply(actor, cleaned, current.get(kind.key(cleaned)))
                setattr(result, outcome, getattr(result, outcome) + 1)
            except (RowError, ValidationError) as exc:
                self.errors_of(number, raw[number], exc)
        if new_rows and not result.errors:
            failures = kind.create_many(actor, [c for _n, c in new_rows])
            for index, exc in failures.items():
                number = new_rows[index][0]
                self.errors_of(number, raw[number], exc)
            result.created += len(new_rows) - len(failures)
        if not result.errors:
            kind.after_import(actor, [c for _n, c in cleaned_rows])
        self.writing = not result.errors

    def remember(self, cleaned_rows: list[tuple[int, dict]], row_digests: dict[int, bytes]) -> None:
        """The digest of each row just written, with its record's id and version (digests.py)."""
        kind = self.kind
        by_key = {kind.key(cleaned): row_digests[number] for number, cleaned in cleaned_rows}
        # Rows just created carry their record's id and version (kinds.create_all); the others are read.
        versions = {kind.key(cleaned): cleaned["_record"] for _n, cleaned in cleaned_rows if "_record" in cleaned}
        if len(versions) < len(by_key):
            for key, record in kind.versions([key for key in by_key if key not in versions]).items():
                versions.setdefault(key, record)
        rows = [(record_id, by_key[key], version) for key, (record_id, version) in versions.items() if key in by_key]
        digests.remember(kind, rows, self.file.pk)
        self.remembered += len(rows)

    def record_file(self) -> None:
        """What the file imported as, for the next import of the same bytes (digests.recognised_file)."""
        result = self.result
        if self.file is not None:
            self.file.rows, self.file.skipped_example, self.file.rows_read = (
                result.total, result.skipped_example, result.rows_read)
            self.file.imported_at = timezone.now()
            self.file.save(update_fields=["rows", "skipped_example", "rows_read", "imported_at"])


def _chunks(run: _Run, rows: Iterator, chunk_rows: int | None) -> None:
    """Feed the rows under the headers to `run` a chunk at a time, skipping the template's example."""
    result, positions = run.result, run.positions
    is_example = _example_check(run.kind.columns, positions)
    limit = settings.IMPORT_MAX_ROWS
    chunk: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        result.rows_read += 1
        if result.rows_read > limit:
            result.rows_read += sum(1 for _row in rows)
            raise _FileError(_("The file has %(n)s rows; at most %(max)s can be imported at once.") % {
                "n": result.rows_read, "max": limit})
        if is_example(cells):
            result.skipped_example += 1
            continue
        chunk.append((number, cells))
        if chunk_rows and len(chunk) == chunk_rows:
            result.total += len(chunk)
            run.chunk(chunk)
            chunk = []
    if chunk:
        result.total += len(chunk)
        run.chunk(chunk)


def _as_before(result: ImportResult, file, progress) -> ImportResult:
    """A file recognised (digests.py): every row unchanged, counted as its import counted them."""
    result.total = result.unchanged = file.rows
    result.skipped_example, result.rows_read = file.skipped_example, file.rows_read
    _Progress(progress, file.rows).finish()
    return result


def run_import(kind: LedgerKind, source: Source, filename: str, actor, *, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import a file (its bytes, or its path) of `kind`; `progress(done, total)` as the chunks go."""
    result = ImportResult(kind=kind.name, dry_run=dry_run)
    basis = digests.basis(kind, actor, filename) if kind.remembers else b""
    whole = digests.file_digest(basis, source) if kind.remembers else None
    if whole is not None and (file := digests.recognised_file(kind, actor, whole)) is not None:
        return _as_before(result, file, progress)
    try:
        sheet = open_sheet(source, filename, fingerprint=kind.remembers)
    except UnreadableFile as exc:
        result.file_error = str(exc)
        return result
    content = digests.content_digest(basis, sheet.fingerprint) if sheet.fingerprint else None
    if content is not None and (file := digests.recognised_content(kind, actor, content)) is not None:
        sheet.rows.close()
        return _as_before(result, file, progress)
    rows = _Peekable(sheet.rows)
    try:
        table, match = _find_headers(rows, kind.columns)
        result.table, result.positions = table, match.positions
        if match.missing:
            raise _FileError(_("Missing columns: %(names)s. Download the template to see the expected headers.") % {
                "names": "、".join(c.heading().rstrip("*") for c in match.missing)})
        tracker = _Progress(progress, sheet.estimate - table.header_row)
        run = _Run(kind, actor, result, table, match, tracker, dry_run=dry_run, file_digest=whole, content=content)
        with _collector_paused(), audit.audit_context(actor=actor, request_id=audit.current().request_id or None), \
                transaction.atomic():
            _chunks(run, rows, settings.IMPORT_CHUNK_ROWS if kind.streams else None)
            if not result.total and not result.skipped_example:
                raise _FileError(_("The file has headers but no rows under them: nothing to import."))
            if result.errors or dry_run:
                raise _Rollback
            run.record_file()
        digests.analyse(run.remembered)
        tracker.finish()
    except _Rollback:
        tracker.finish()
    except (_FileError, UnreadableFile) as exc:
        result.file_error = str(exc)
    finally:
        sheet.rows.close()
    if not result.ok:
        result.created = result.updated = result.unchanged = 0
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result
