"""Workbooks out: templates with drop-downs, and exports with Chinese headers and real dates (the
error report of an import is report.py)."""

import csv
import datetime
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .kinds import LedgerKind

HEADER_FONT = Font(bold=True)
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
    """A text cell that a spreadsheet would run as a formula (=HYPERLINK(...), +cmd|...) gets a leading
    apostrophe: exported ledgers travel upwards and are opened in Excel (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_workbook(kind: LedgerKind, objects, unmasked: bool = False) -> tuple[bytes, int]:
    with translation.override("zh-hans"):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(_(kind.label))[:31])
        sheet.append([c.heading().rstrip("*") for c in [*kind.columns, *kind.export_only]])
        count = 0
        for obj in objects:
            row = []
            for value in kind.export_row(obj, unmasked):
                row.append(inert(value))
            sheet.append(row)
            count += 1
        return _save(book), count


def export_csv(kind: LedgerKind, objects, unmasked: bool = False) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark, so Excel in China opens it without garbling."""
    with translation.override("zh-hans"):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([c.heading().rstrip("*") for c in [*kind.columns, *kind.export_only]])
        count = 0
        for obj in objects:
            row = kind.export_row(obj, unmasked)
            writer.writerow([v.isoformat() if isinstance(v, datetime.date) else inert(v) for v in row])
            count += 1
        return ("\ufeff" + out.getvalue()).encode("utf-8"), count
