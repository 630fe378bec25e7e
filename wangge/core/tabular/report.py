"""The error report of an import: the user's own file with every bad cell filled red and commented
(the problem and what the column allows), so they correct it in place and upload it again.

An .xlsx upload is marked in place (its formatting, other sheets and layout kept); a .csv, .xls or
.ods upload, or a workbook too big to load whole, comes back as an .xlsx with the same cells at the
same rows and columns, written row by row as the upload is read again (streamed: the import kept
no rows). The cells are the uploader's own input, unmasked: the report is served only
to the uploader and purged with the upload (core/privacy.py, `import_files`).
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import header_key
from .kinds import LedgerKind
from .reading import Source, open_sheet

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's own "bad" red
AUTHOR = "网格系统"
IN_PLACE_MAX_ROWS = 20_000  # beyond this the workbook is rebuilt row by row (openpyxl holds a loaded book in memory)


def _messages(kind: LedgerKind, result) -> dict[tuple[int, str], str]:
    """(row, column letter) -> the comment: every problem of the cell and what the column allows."""
    columns = {c.key: c for c in kind.columns}
    notes: dict[tuple[int, str], list[str]] = {}
    for error in result.errors:
        if error.column:
            notes.setdefault((error.row, error.column), []).append(error.message)
    for error in result.errors:
        column = columns.get(error.key)
        hint = column.allowed() if column else ""
        found = notes.get((error.row, error.column))
        if found is not None and hint and hint not in found:
            found.append(hint)
    return {place: "\n".join(lines) for place, lines in notes.items()}


def _row_notes(result) -> dict[int, str]:
    rows: dict[int, list[str]] = {}
    for error in result.errors:
        rows.setdefault(error.row, []).append(f"{error.header or error.column}：{error.message}")
    return {row: "；".join(lines) for row, lines in rows.items()}


def _comment(text: str) -> Comment:
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 320, 40 + 18 * (text.count("\n") + len(text) // 24)
    return comment


def error_report(kind: LedgerKind, result, data: Source, filename: str) -> bytes:
    """The report of `result`, from the upload (its bytes or its path) read again."""
    table = result.table
    with translation.override("zh-hans"):
        label = str(_("Errors"))
        # The errors column: the file's own (a report uploaded again) or a new one after the last header.
        errors_at = next((i for i, h in enumerate(table.headers) if header_key(h) == header_key(label)),
                         len(table.headers)) + 1
        notes, rows = _messages(kind, result), _row_notes(result)
        book = None
        if filename.lower().endswith((".xlsx", ".xlsm")) and result.rows_read <= IN_PLACE_MAX_ROWS:
            try:
                book = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
            except Exception:  # noqa: BLE001  (calamine read what openpyxl cannot: rebuild it instead)
                book = None
        if book is not None:
            _mark_in_place(book.worksheets[0], table, notes, rows, errors_at, label)
            book.active = 0
        else:
            book = _rebuilt(open_sheet(data, filename).rows, table, notes, rows, errors_at, label)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _mark_in_place(sheet, table, notes, rows, errors_at, label) -> None:
    for row in sheet.iter_rows():  # marks of an earlier report of this file go, then the new ones
        for cell in row:
            if cell.comment is not None and cell.comment.author == AUTHOR:
                cell.comment = None
                if cell.fill == ERROR_FILL:
                    cell.fill = PatternFill()
    header = sheet.cell(row=table.header_row, column=errors_at, value=label)
    header.font = Font(bold=True, color="C00000")
    for number, text in rows.items():
        sheet.cell(row=number, column=errors_at, value=text)
    for (number, letter), text in notes.items():
        cell = sheet[f"{letter}{number}"]
        cell.fill = ERROR_FILL
        cell.comment = _comment(text)
    sheet.column_dimensions[get_column_letter(errors_at)].width = 50


def _rebuilt(file_rows, table, notes, rows, errors_at, label) -> Workbook:
    """The file's cells at their own rows and columns, as text (codes and ID numbers keep their digits):
    the header row and every row under it, read again from the upload one at a time."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(label)
    sheet.column_dimensions[get_column_letter(errors_at)].width = 50
    sheet.freeze_panes = f"A{table.header_row + 1}"
    headers = [*table.headers] + [""] * (errors_at - 1 - len(table.headers))
    headers[errors_at - 1:errors_at] = [label]
    written = 0
    try:
        for number, cells in file_rows:
            if number < table.header_row:
                continue
            for _blank in range(written + 1, number):
                sheet.append([])
            written = number
            values = headers if number == table.header_row else list(cells)
            sheet.append(_line(sheet, number, values, len(table.headers), notes, rows, errors_at))
    finally:
        file_rows.close()
    return book


def _line(sheet, number, values, width, notes, rows, errors_at) -> list:
    if number in rows:  # a short row still gets its empty bad cells marked
        values += [""] * (width - len(values))
    line = []
    for index, value in enumerate(values, start=1):
        cell = WriteOnlyCell(sheet, value=value or None)
        text = notes.get((number, get_column_letter(index)))
        if text:
            cell.fill, cell.comment = ERROR_FILL, _comment(text)
        line.append(cell)
    if number in rows:
        line += [None] * (errors_at - 1 - len(line))
        line.append(rows[number])
    return line
