"""Importers against malformed files (issue #15): a truncated workbook, a wrong encoding, formulas,
a sheet of 100,000 empty rows, huge cells, and random bytes. Each gets a clear answer, writes
nothing, and never crashes; and a value that looks like a formula leaves an export inert."""

import io
import random

import pytest
from openpyxl import Workbook, load_workbook

from wangge.community.models import Resident
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.core.tabular.writing import export_csv, export_workbook
from wangge.places.models import Premises

HEADER = ["名称", "类别", "地址", "重点场所", "联系电话", "开门时间", "关门时间", "场所码", "从业人员数"]
GOOD = ["新开面馆", "餐饮", "仙霞西路7号", "是", "13900001111", "09:00", "21:00", "已张贴", "5"]


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts():
    return Premises.objects.count(), Resident.objects.count()


CASES = {
    "truncated": lambda: (workbook([HEADER, GOOD])[:700], "premises.xlsx"),
    "random bytes": lambda: (bytes(random.Random(1).randrange(256) for _ in range(5000)), "premises.xlsx"),
    "utf-16 csv": lambda: (("\n".join(",".join(r) for r in [HEADER, GOOD])).encode("utf-16"), "premises.csv"),
    "latin-1 garbage csv": lambda: (b"\xe9\xe8\xff\xfe" * 500, "premises.csv"),
    "100k empty rows": lambda: (workbook([HEADER] + [[None] * 9 for _ in range(100_000)]), "premises.xlsx"),
    "only a header": lambda: (workbook([HEADER]), "premises.xlsx"),
    "huge cell": lambda: (workbook([HEADER, ["长" * 100_000] + GOOD[1:]]), "premises.xlsx"),
    "formula cells": lambda: (workbook([HEADER, ["=HYPERLINK(\"http://x\",\"y\")"] + GOOD[1:3] + ["=1+1"] + GOOD[4:]]),
                              "premises.xlsx"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_file_gets_a_clear_answer_and_writes_nothing(world, case):
    before = counts()
    data, name = CASES[case]()
    result = run_import(get_kind("premises"), data, name, world.users["admin"])
    assert counts() == before
    assert not result.ok
    assert result.file_error or result.errors  # a message for the file, or row and column for cells
    for error in result.errors:
        assert error.row and error.column and error.message


def test_a_huge_cell_is_cut_and_reported_not_stored(world):
    data = workbook([HEADER, ["长" * 100_000] + GOOD[1:]])
    result = run_import(get_kind("premises"), data, "p.xlsx", world.users["admin"])
    assert any(e.column == "A" for e in result.errors)
    assert all(len(str(e.value)) <= 2000 for e in result.errors)  # the report never echoes 100 KB back


def test_exports_leave_formula_like_values_inert(world):
    premises = world.premises["linquan1"]
    Premises.objects.filter(pk=premises.pk).update(name="=HYPERLINK(\"http://evil\",\"点我\")")
    kind = get_kind("premises")
    rows = Premises.objects.filter(pk=premises.pk)
    body, _count = export_workbook(kind, rows)
    cell = load_workbook(io.BytesIO(body)).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    text, _count = export_csv(kind, rows)
    assert "'=HYPERLINK" in text.decode("utf-8-sig")
