"""Read .xlsx, .xls and .csv (UTF-8 or GBK/GB18030) into rows of text with their sheet row numbers."""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .sandbox import TooLarge, run_capped

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
MAX_CELL = 2000
MAX_COLUMNS = 256
MAX_SHEET_ROWS = 250_000  # the importer takes 200,000 rows; a few thousand blank lines are tolerated


class UnreadableFile(ValueError):
    pass


@dataclass
class Table:
    headers: list[str]
    header_row: int  # 1-based row number of the headers in the sheet
    rows: list[tuple[int, list[str]]]  # (1-based row number, cells as text)


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


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is neither UTF-8 nor GBK text. Save it from Excel as .xlsx or CSV."))


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("The file is not a readable table."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from None


def _calamine_rows(data: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            return []
        sheet = book.get_sheet_by_index(0)
        # No ledger has hundreds of columns or more rows than an import takes: a range that does was
        # stretched by a stray cell, and turning it into Python rows would cost gigabytes.
        if sheet.total_width > MAX_COLUMNS or sheet.total_height > MAX_SHEET_ROWS:
            raise TooLarge
        return sheet.to_python(skip_empty_area=False)
    except (MemoryError, TooLarge):
        raise
    except Exception as exc:  # noqa: BLE001  (calamine raises several types for broken files)
        raise UnreadableFile(_("The workbook cannot be read (%(error)s). Is it a real Excel file?")
                             % {"error": type(exc).__name__}) from None


def _workbook_rows(data: bytes) -> list[list]:
    """Parsed in a child with a memory ceiling (sandbox.py): a workbook whose used range reaches far
    beyond its data must not take the app process down."""
    try:
        return run_capped(_calamine_rows, data)
    except TooLarge:
        raise UnreadableFile(_(
            "The workbook is too large to read: its used range reaches far beyond the data (often a "
            "formatted or filled cell far to the right or below). Delete the empty rows and columns after "
            "the data, save, and upload again.")) from None


def read_table(data: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(WORKBOOK_SUFFIXES):
        raw = _workbook_rows(data)
    elif name.endswith((".csv", ".txt", ".tsv")):
        raw = _csv_rows(data)
    else:
        raise UnreadableFile(_("Upload an .xlsx, .xls or .csv file."))
    rows = [(number, [cell_text(v) for v in row]) for number, row in enumerate(raw, start=1)]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    if not rows:
        raise UnreadableFile(_("The file has no rows."))
    header_row, headers = rows[0]
    return Table(headers=headers, header_row=header_row, rows=rows[1:])
