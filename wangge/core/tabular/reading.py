"""Read .xlsx, .xls and .csv (UTF-8 or GBK/GB18030) as rows of text with their sheet row numbers.

`open_sheet` streams: the rows come one at a time (a CSV straight from its bytes or file, a workbook
from a capped child process in batches), so reading a 1,000,000-row ledger holds a batch, not the
file's rows. `read_table` gathers them for small files.

Asked for (`fingerprint=True`), a sheet first tells a digest of the rows it will yield, read once before
they stream: two files with the same fingerprint yield the same rows with the same numbers, whatever their
bytes (a workbook saved again, a CSV with other line endings or blank lines at its end). An importer
tells a file saved again by it (digests.py) without taking its rows one by one.
"""

import codecs
import csv
import datetime
import hashlib
import io
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .sandbox import TooLarge, stream_capped

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
MAX_CELL = 2000
MAX_COLUMNS = 256
BLANK_ROWS_TOLERATED = 50_000  # a sheet may reach this far below the rows an import takes (blank lines)
BLOCK = 1 << 20  # bytes read at a time when a CSV is checked


class UnreadableFile(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    header_row: int  # 1-based row number of the headers in the sheet
    rows: list[tuple[int, list[str]]]  # (1-based row number, cells as text)


@dataclass
class Sheet:
    """A file being read: at most `estimate` rows (what a progress bar counts to before the end is
    known) and the non-empty rows, as (1-based row number, cells as text), read as they are taken;
    the rows' fingerprint when asked for (module docstring)."""

    estimate: int
    rows: Iterator[tuple[int, list[str]]]
    fingerprint: bytes | None = None


def _fingerprinter(reader: bytes):
    """A digest of rows fed one at a time: each row's repr, which tells its values and their types apart
    unambiguously, on a line of its own. Not keyed: it stays in memory (digests.py keys what it stores)."""
    digest = hashlib.blake2b(reader + b"\n", digest_size=32)
    return digest, lambda row: digest.update(repr(row).encode() + b"\n")


def cell_text(value) -> str:
    """A cell as the text a person sees: 3.10105102e11 is a code, not a float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value).strip()[:MAX_CELL]


Source = bytes | str | os.PathLike


def _binary(source: Source):
    return io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else open(source, "rb")  # noqa: SIM115


def _csv_encoding(source: Source) -> tuple[str, int]:
    """The file's encoding and how many lines it has at most, read block by block (nothing kept)."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        lines, last = 0, b""
        try:
            with _binary(source) as raw:
                while block := raw.read(BLOCK):
                    if b"\x00" in block:
                        raise UnreadableFile(_("The file is not a readable table."))
                    decoder.decode(block)
                    lines += block.count(b"\n")
                    last = block
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines + (0 if last.endswith(b"\n") else 1)
    raise UnreadableFile(_("The file is neither UTF-8 nor GBK text. Save it from Excel as .xlsx or CSV."))


def _delimiter(sample: str) -> str:
    """Comma, tab or semicolon: the one that cuts the most of the sample's rows into one width of two
    cells or more (a ledger's rows are as wide as its headers; Excel pads a title row to that width).
    The rest of the dialect is Excel's: quotes doubled. csv.Sniffer guessed the quoting from the line
    endings (a cell holding one quote mark, in a file with CRLF line ends, was read as two) and took a
    tab-separated file whose cell held `',` for comma-separated."""
    lines = sample.splitlines(keepends=True)
    lines = lines[:-1] or lines  # the sample's last line may be cut short
    best, most = ",", 0
    for candidate in ",\t;":
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=candidate) if any(map(str.strip, row)))
        width, rows = max(widths.items(), key=lambda wr: (wr[1], wr[0]), default=(0, 0))
        if width > 1 and rows > most:
            best, most = candidate, rows
    return best


def _csv_rows(source: Source, fingerprint: bool = False) -> Sheet:
    encoding, lines = _csv_encoding(source)
    with _binary(source) as raw:
        delimiter = _delimiter(raw.read(16 * 1024).decode(encoding, errors="ignore")[:4096])

    def rows():
        with io.TextIOWrapper(_binary(source), encoding=encoding, newline="") as text:
            reader = csv.reader(text, csv.excel, delimiter=delimiter)
            try:
                for number, row in enumerate(reader, start=1):
                    cells = [v.strip()[:MAX_CELL] for v in row]  # cell_text of a str, inline: every cell
                    if any(cells):
                        yield number, cells
            except csv.Error as exc:
                raise UnreadableFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None

    sheet = Sheet(estimate=lines, rows=rows())
    if fingerprint:  # the rows as yielded, numbers and all: read once more (a CSV is read in moments)
        digest, feed = _fingerprinter(b"csv")
        for row in rows():
            feed(row)
        sheet.fingerprint = digest.digest()
    return sheet


def _calamine_rows(source: Source, fingerprint: bool = False):
    """In the capped child: the sheet's height first, then (when asked for) the fingerprint of its rows,
    then its non-empty rows as text."""
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, bytes | bytearray | memoryview):
            book = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = CalamineWorkbook.from_path(os.fspath(source))
        if not book.sheet_names:
            yield 0
            return
        sheet = book.get_sheet_by_index(0)
        # No ledger has hundreds of columns or more rows than an import takes: a range that does was
        # stretched by a stray cell, and turning it into Python rows would cost gigabytes.
        if sheet.total_width > MAX_COLUMNS or sheet.total_height > settings.IMPORT_MAX_ROWS + BLANK_ROWS_TOLERATED:
            raise TooLarge
        yield sheet.total_height + 1  # calamine's total_height is the last row's 0-based index
        if fingerprint:
            # Every row as calamine holds it (typed values, empty rows too: they number the rest) and where
            # the used range starts: the rows yielded below are made from these alone.
            digest, feed = _fingerprinter(b"calamine")
            feed(sheet.start)
            for row in sheet.iter_rows():
                feed(row)
            yield digest.digest()
        # iter_rows counts rows from the sheet's first row but columns from the used range's first one.
        before = [""] * sheet.start[1] if sheet.start else []
        for number, row in enumerate(sheet.iter_rows(), start=1):
            # cell_text, with the common case (text) inline: it runs on every cell of the file.
            cells = [v.strip()[:MAX_CELL] if type(v) is str else cell_text(v) for v in row]
            if before:
                cells[:0] = before
            if any(cells):
                yield number, cells
    except (MemoryError, TooLarge):
        raise
    except Exception as exc:  # noqa: BLE001  (calamine raises several types for broken files)
        raise UnreadableFile(_("The workbook cannot be read (%(error)s). Is it a real Excel file?")
                             % {"error": type(exc).__name__}) from None


def _too_large() -> UnreadableFile:
    return UnreadableFile(_(
        "The workbook is too large to read: its used range reaches far beyond the data (often a "
        "formatted or filled cell far to the right or below). Delete the empty rows and columns after "
        "the data, save, and upload again."))


def _workbook_rows(source: Source, fingerprint: bool = False) -> Sheet:
    """Parsed in a child with a memory ceiling (sandbox.py): a workbook whose used range reaches far
    beyond its data must not take the app process down."""
    stream = stream_capped(_calamine_rows, source, fingerprint)
    try:
        height = next(stream)
        digest = next(stream) if fingerprint and height else None
    except TooLarge:
        stream.close()
        raise _too_large() from None
    except BaseException:
        stream.close()
        raise

    def rows():
        try:
            yield from stream
        except TooLarge:
            raise _too_large() from None
        finally:
            stream.close()

    return Sheet(estimate=height, rows=rows(), fingerprint=digest)


def open_sheet(source: Source, filename: str, *, fingerprint: bool = False) -> Sheet:
    """The file's first sheet, streamed. `source` is the file's bytes or its path; `fingerprint` reads
    the rows once before they stream, for the sheet's fingerprint."""
    name = filename.lower()
    if name.endswith(WORKBOOK_SUFFIXES):
        return _workbook_rows(source, fingerprint)
    if name.endswith(TEXT_SUFFIXES):
        return _csv_rows(source, fingerprint)
    raise UnreadableFile(_("Upload an .xlsx, .xls or .csv file."))


def read_table(source: Source, filename: str) -> Table:
    """The whole file at once: for small files (an import streams with open_sheet)."""
    rows = list(open_sheet(source, filename).rows)
    if not rows:
        raise UnreadableFile(_("The file has no rows."))
    header_row, headers = rows[0]
    return Table(headers=headers, header_row=header_row, rows=rows[1:])
