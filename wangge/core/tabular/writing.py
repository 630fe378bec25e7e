"""Workbooks out: templates with drop-downs, and exports with Chinese headers and real dates (the
error report of an import is report.py)."""

import csv
import datetime
import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..text import clean_text
from .kinds import LedgerKind

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TITLE_FONT = Font(bold=True, size=12)
A4 = 9  # paperSize in the sheet's page setup
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook(kind: LedgerKind) -> bytes:
    """An empty ledger: headers (required ones marked *), one example row, drop-downs for coded columns."""
    with translation.override("zh-hans"):
        book = Workbook()
        sheet = book.active
        sheet.title = str(_(kind.label))[:31]
        options = book.create_sheet(_("Options"))
        for index, column in enumerate(kind.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.heading())
            cell.font = HEADER_FONT
            if column.required:
                cell.fill = REQUIRED_FILL
            if column.help:
                cell.comment = Comment(str(_(column.help)), "Wangge")
            sheet.cell(row=2, column=index, value=column.example)
            sheet.column_dimensions[get_column_letter(index)].width = column.width
            if column.choices and not column.many:
                labels = [str(label) for _value, label in column.choices()]
                for row, label in enumerate(labels, start=1):
                    options.cell(row=row, column=index, value=label)
                letter = get_column_letter(index)
                rule = DataValidation(type="list", formula1=f"={options.title}!${letter}$1:${letter}${len(labels)}",
                                      allow_blank=not column.required, showErrorMessage=True,
                                      error=_("Choose a value from the list."))
                sheet.add_data_validation(rule)
                rule.add(f"{letter}2:{letter}10000")
        options.sheet_state = "hidden"
        sheet.freeze_panes = "A2"
        return _save(book)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """Control characters removed (core/text.py), and a text cell that a spreadsheet would run as a
    formula (=HYPERLINK(...), +cmd|...) gets a leading apostrophe: exported ledgers travel upwards and
    are opened in Excel (CSV/formula injection)."""
    if isinstance(value, str):
        value = clean_text(value)  # a control character makes the .xlsx writer refuse the whole file
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value


def _cell_value(value):
    """Spreadsheets hold local times without a zone (openpyxl refuses aware ones)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return inert(value)


def export_workbook(kind: LedgerKind, objects, unmasked: bool = False, heading: str = "", out=None,
                    progress=None) -> tuple[bytes | None, int]:
    """Headers bold on a grey band, the column widths of the kind, the header row frozen and filtered,
    A4 landscape with the headers on every printed page. `heading` (the list, its filters and the
    user's scope) is the first line when given; the importer skips it, so exports still re-import.
    With `out` (a binary file) the workbook is written there and no bytes are returned: openpyxl's
    write-only mode spools the rows to disk, so a long list costs no memory (export_jobs.py);
    `progress(rows_so_far)` is called after each row."""
    columns = kind.export_columns()
    last = get_column_letter(len(columns))
    with translation.override("zh-hans"):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(_(kind.label))[:31])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = 2 if heading else 1
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.paperSize, sheet.page_setup.orientation = A4, "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if heading:
            title = WriteOnlyCell(sheet, value=inert(heading))
            title.font = TITLE_FONT
            sheet.append([title])
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.heading().rstrip("*"))
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cells.append(cell)
        sheet.append(cells)
        count = 0
        for obj in objects:
            sheet.append([_cell_value(v) for v in kind.export_row(obj, unmasked)])
            count += 1
            if progress:
                progress(count)
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + count}"
        if out is not None:
            book.save(out)
            return None, count
        return _save(book), count


def export_csv(kind: LedgerKind, objects, unmasked: bool = False, heading: str = "", out=None,
               progress=None) -> tuple[bytes | None, int]:
    """UTF-8 with a byte-order mark, so Excel in China opens it without garbling. With `out` (a binary
    file) the rows are written there as they come and no bytes are returned (see export_workbook)."""
    target = out
    with translation.override("zh-hans"):
        out = io.StringIO() if target is None else io.TextIOWrapper(target, encoding="utf-8", newline="")
        if target is not None:
            out.write("\ufeff")
        writer = csv.writer(out)
        if heading:
            writer.writerow([inert(heading)])
        writer.writerow([c.heading().rstrip("*") for c in kind.export_columns()])
        count = 0
        for obj in objects:
            row = kind.export_row(obj, unmasked)
            writer.writerow([v.isoformat(sep=" ", timespec="minutes") if isinstance(v, datetime.datetime)
                             else v.isoformat() if isinstance(v, datetime.date) else inert(v)
                             for v in map(_cell_value, row)])
            count += 1
            if progress:
                progress(count)
        if target is not None:
            out.flush()
            out.detach()  # the caller's file stays open
            return None, count
        return ("\ufeff" + out.getvalue()).encode("utf-8"), count
