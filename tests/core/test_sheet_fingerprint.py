"""A sheet's fingerprint (reading.py): the same rows, whatever the bytes, give the same fingerprint; other
rows give another. The oracle is the rows themselves as the reader yields them (numbers and cells): files
the reader reads into equal rows must share a fingerprint, files it reads into different rows must not."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from wangge.core.tabular.reading import open_sheet


def read(data: bytes, name: str) -> tuple[list, bytes]:
    sheet = open_sheet(data, name, fingerprint=True)
    fingerprint = sheet.fingerprint
    return list(sheet.rows), fingerprint


def workbook(rows: list[list], title: str = "", *, write_only: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("表") if write_only else book.active
    for row in rows:
        sheet.append(row)
    book.properties.title = title
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [["名称", "地址", "人数"], ["林泉烧烤", "仙霞西路1号", 4], ["阿强面馆", "仙霞西路3号", "5"]]


def test_a_workbook_saved_again_or_by_another_writer_has_the_same_fingerprint():
    first = workbook(ROWS)
    others = [workbook(ROWS, "又存了一次"), workbook(ROWS, write_only=True)]
    rows, fingerprint = read(first, "a.xlsx")
    assert fingerprint is not None and len(fingerprint) == 32
    for other in others:
        assert other != first
        assert read(other, "a.xlsx") == (rows, fingerprint)


def test_a_workbook_with_other_rows_has_another_fingerprint():
    _rows, fingerprint = read(workbook(ROWS), "a.xlsx")
    changed = [row[:] for row in ROWS]
    changed[2][1] = "仙霞西路5号"
    moved = [[], *ROWS]  # the same cells a line down: other row numbers
    typed = [row[:] for row in ROWS]
    typed[1][2] = "4"  # text instead of a number: read as the same "4", but told apart (never wrongly equal)
    for other in (changed, moved, ROWS[:2]):
        other_rows, other_fingerprint = read(workbook(other), "a.xlsx")
        assert other_rows != _rows and other_fingerprint != fingerprint
    assert read(workbook(typed), "a.xlsx")[1] != fingerprint


def test_a_sheet_read_without_asking_has_no_fingerprint_and_the_same_rows():
    data = workbook(ROWS)
    plain = open_sheet(data, "a.xlsx")
    assert plain.fingerprint is None and list(plain.rows) == read(data, "a.xlsx")[0]
    text = b"a,b\n1,2\n"
    assert open_sheet(text, "a.csv").fingerprint is None


def _csv(rows: list[list[str]], *, line_end: str, quoting: int, trailing: int, bom: bool, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=line_end, quoting=quoting).writerows(rows)
    mark = b"\xef\xbb\xbf" if bom and encoding == "utf-8" else b""  # Excel's UTF-8 CSV; GBK has none
    return mark + (out.getvalue() + line_end * trailing).encode(encoding)


cells = st.text(alphabet="林泉路号店1 ,\"ab", max_size=6)
tables = st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=6)
writings = st.fixed_dictionaries({
    "line_end": st.sampled_from(["\n", "\r\n"]), "quoting": st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    "trailing": st.integers(0, 3), "bom": st.booleans(), "encoding": st.sampled_from(["utf-8", "gb18030"])})


@settings(deadline=None, max_examples=150)
@given(tables, writings, tables, writings)
def test_csv_files_share_a_fingerprint_exactly_when_they_read_into_the_same_rows(rows_a, how_a, rows_b, how_b):
    """Line endings, quoting, blank lines at the end, a byte-order mark and the encoding make other bytes;
    only the rows the reader yields decide the fingerprint."""
    first = read(_csv(rows_a, **how_a), "a.csv")
    second = read(_csv(rows_b, **how_b), "b.csv")
    if not first[0] or not second[0]:  # nothing but blank cells: no rows, nothing to import
        return
    assert (first[0] == second[0]) == (first[1] == second[1])


@settings(deadline=None, max_examples=40)
@given(tables, writings, writings)
def test_the_same_rows_written_two_ways_share_a_fingerprint(rows, how_a, how_b):
    # In one encoding: a GBK text of a character or two may also be valid UTF-8 (泉 is C8 AA, Ȫ in UTF-8),
    # and the reader, trying UTF-8 first, reads other rows (test_import_files.py reads a whole GBK ledger).
    how_a["encoding"] = how_b["encoding"]
    first, second = read(_csv(rows, **how_a), "a.csv"), read(_csv(rows, **how_b), "b.csv")
    assert first[0] == second[0] and first[1] == second[1]
