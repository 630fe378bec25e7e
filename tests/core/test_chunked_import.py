"""#23.1: a ledger is read, checked and written in chunks, in one transaction, in flat memory.

Oracles: SQL counts of the tables (not the importer's own counts), the file as openpyxl reads it,
and query counts that must follow the number of chunks, not the number of rows."""

import io
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from wangge.core.tabular import report as report_module
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.core.tabular.reading import open_sheet
from wangge.core.tabular.report import error_report
from wangge.core.tabular.sandbox import stream_capped

HEADERS = ["名称", "类别", "地址", "联系电话"]


def premises_rows(count: int, prefix: str = "店", phone: bool = True) -> list[list[str]]:
    return [
        [f"{prefix}{n}", "餐饮", f"仙霞西路{2 * (n % 40) + 1}号", f"139{n:08d}" if phone else ""] for n in range(count)
    ]


def csv_file(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(r) for r in [HEADERS, *rows]).encode("utf-8")


def sql_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608  (a fixed table name)
        return cursor.fetchone()[0]


def counts() -> tuple[int, int]:
    return sql_count("places_premises"), sql_count("core_auditentry")


@pytest.mark.parametrize("last", [["坏店", "不存在的类别", "仙霞西路1号", ""], ["店3", "餐饮", "仙霞西路7号", ""]])
def test_an_error_in_the_last_chunk_writes_nothing(world, settings, last):
    settings.IMPORT_CHUNK_ROWS = 5
    before = counts()
    rows = [*premises_rows(22), last]  # chunks 1-4 are good and written before the last one is read
    result = run_import(get_kind("premises"), csv_file(rows), "p.csv", world.users["cadre"])
    assert not result.ok and result.total == 23
    assert [(e.row, e.column) for e in result.errors] == [(24, "B" if last[1] != "餐饮" else "A")]
    if last[1] == "餐饮":  # the same shop as row 5 (店3): found across chunks
        assert "5" in result.errors[0].message
    assert counts() == before
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


def test_a_good_file_in_many_chunks_is_all_written(world, settings):
    settings.IMPORT_CHUNK_ROWS = 5
    premises, audit = counts()
    result = run_import(get_kind("premises"), csv_file(premises_rows(23)), "p.csv", world.users["cadre"])
    assert result.ok and result.created == 23
    assert counts() == (premises + 23, audit + 23)


def test_progress_moves_through_the_write_phase(world, settings):
    settings.IMPORT_CHUNK_ROWS = 5
    seen = []

    def progress(done, total):
        seen.append((done, total, sql_count("places_premises")))

    before = sql_count("places_premises")
    result = run_import(
        get_kind("premises"), csv_file(premises_rows(20)), "p.csv", world.users["cadre"], progress=progress
    )
    assert result.ok
    dones = [d for d, _t, _n in seen]
    totals = {t for _d, t, _n in seen}
    assert dones == sorted(dones) and len(totals) == 1 and seen[-1][0] == seen[-1][1]
    # Reported while rows were being written, not only at the end: some calls saw part of the file
    # in the table (inside the transaction) and more still to come.
    partly = [n - before for d, t, n in seen if 0 < n - before < 20 and d < t]
    assert len(set(partly)) >= 2


def test_rows_over_the_limit_are_refused_whole(world, settings):
    settings.IMPORT_MAX_ROWS = 5
    before = counts()
    result = run_import(get_kind("premises"), csv_file(premises_rows(7)), "p.csv", world.users["cadre"])
    assert "7" in result.file_error and "5" in result.file_error
    assert counts() == before


def _queries(world, rows, name) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = run_import(get_kind("premises"), csv_file(rows), name, world.users["cadre"])
    assert result.ok, result.errors
    return len(queries)


def test_queries_follow_the_chunks_not_the_rows(world, settings):
    _queries(world, premises_rows(1, "热身"), "warm.csv")  # first-use caches (content types, roles) filled
    settings.IMPORT_CHUNK_ROWS = 6
    three_chunks_of_6 = _queries(world, premises_rows(18, "甲"), "a.csv")
    settings.IMPORT_CHUNK_ROWS = 12
    three_chunks_of_12 = _queries(world, premises_rows(36, "乙"), "b.csv")
    assert three_chunks_of_6 == three_chunks_of_12
    # Unchanged rows are compared without a query per row (the phone by its keyed hash).
    settings.IMPORT_CHUNK_ROWS = 100
    again_18 = _queries(world, premises_rows(18, "甲"), "a.csv")
    again_36 = _queries(world, premises_rows(36, "乙"), "b.csv")
    assert again_18 == again_36


def test_a_changed_phone_is_an_update_and_an_unchanged_one_is_not(world):
    cadre = world.users["cadre"]
    rows = premises_rows(3)
    assert run_import(get_kind("premises"), csv_file(rows), "p.csv", cadre).created == 3
    rows[1][3] = "13700000000"
    again = run_import(get_kind("premises"), csv_file(rows), "p.csv", cadre)
    assert (again.updated, again.unchanged) == (1, 2)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM places_premises WHERE contact_phone_masked = %s", ["137****0000"])
        assert cursor.fetchone()[0] == 1


def test_the_reader_yields_rows_it_does_not_gather_them(tmp_path):
    data = csv_file(premises_rows(50))
    sheet = open_sheet(data, "p.csv")
    assert isinstance(sheet.rows, Iterator) and not isinstance(sheet.rows, list | tuple)
    assert next(sheet.rows) == (1, HEADERS) and sheet.estimate >= 51
    sheet.rows.close()
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    assert list(open_sheet(path, "p.csv").rows)[1] == (2, premises_rows(1)[0])


def test_a_streamed_workbook_keeps_rows_and_columns_where_excel_has_them():
    book = Workbook()
    sheet = book.active
    sheet["C3"], sheet["D5"], sheet["B7"], sheet["E7"] = "甲", 2.0, "乙", "310105199001011234"
    out = io.BytesIO()
    book.save(out)
    streamed = open_sheet(out.getvalue(), "t.xlsx")
    assert isinstance(streamed.rows, Iterator)
    got = {(n, i + 1): v for n, cells in streamed.rows for i, v in enumerate(cells) if v}
    expected = {
        (c.row, c.column): str(int(c.value) if isinstance(c.value, float) else c.value)
        for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows()
        for c in row
        if c.value
    }
    assert got == expected


def _numbers(count):
    for n in range(count):
        if n == 2500:
            raise ValueError("broken at 2500")
        yield n


def test_the_capped_child_streams_and_hands_back_its_errors():
    stream = stream_capped(_numbers, 10_000)
    assert next(stream) == 0
    stream.close()  # the child is ended, not left writing into a pipe nobody reads
    taken = []
    with pytest.raises(ValueError, match="broken at 2500"):
        for n in stream_capped(_numbers, 10_000):
            taken.append(n)
    assert taken == list(range(2500))


def test_the_childs_pipe_holds_several_batches():
    """The child reads on while the parent checks a chunk: its pipe takes what Linux allows, up to 1 MB
    (the kernel's own answer, not ours), instead of the default 64 KB."""
    import fcntl
    import os

    from wangge.core.tabular import sandbox

    read_end, write_end = os.pipe()
    try:
        default = fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)
        sandbox._widen(write_end)
        with open("/proc/sys/fs/pipe-max-size") as limit:
            widened = min(int(limit.read()), 1 << 20)
        assert fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ) == widened > default
    finally:
        os.close(read_end)
        os.close(write_end)


def test_a_long_file_report_is_rebuilt_from_the_upload_read_again(world, monkeypatch):
    monkeypatch.setattr(report_module, "IN_PLACE_MAX_ROWS", 2)  # past it the report is written row by row
    book = Workbook()
    book.active.append(["场所台账 · 全部"])  # an export's heading line above the headers
    book.active.append(HEADERS)
    for row in [*premises_rows(3), ["坏店", "不存在的类别", "仙霞西路1号", "139"]]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    kind = get_kind("premises")
    result = run_import(kind, out.getvalue(), "p.xlsx", world.users["cadre"])
    assert [(e.row, e.column) for e in result.errors] == [(6, "B"), (6, "D")]
    sheet = load_workbook(io.BytesIO(error_report(kind, result, out.getvalue(), "p.xlsx"))).active
    assert [c.value for c in sheet[2]][:4] == HEADERS and sheet["E2"].value == "错误说明"
    assert sheet["A1"].value is None and sheet["A6"].value == "坏店" and sheet["D6"].value == "139"
    assert sheet["B6"].comment is not None and sheet["E6"].value and sheet["E5"].value is None


def test_field_rules_are_checked_per_column_as_the_model_would(world):
    from django.core.exceptions import ValidationError

    from wangge.places.models import Premises

    long = "许" * 60  # the column takes 100 characters, the model's field 50
    with pytest.raises(ValidationError) as model_says:
        Premises(licence_number=long).clean_fields(
            exclude=[f.name for f in Premises._meta.fields if f.name != "licence_number"]
        )
    book = Workbook()
    book.active.append(["名称", "类别", "地址", "许可证号", "从业人员"])
    book.active.append(["长证店", "餐饮", "仙霞西路9号", long, "99999999999"])
    out = io.BytesIO()
    book.save(out)
    before = counts()
    result = run_import(get_kind("premises"), out.getvalue(), "p.xlsx", world.users["cadre"])
    errors = {e.column: e.message for e in result.errors}
    assert errors["D"] == " ".join(model_says.value.message_dict["licence_number"])
    assert set(errors) == ({"D", "E"} if connection.vendor == "postgresql" else {"D"})  # an integer column's range
    assert counts() == before


def test_the_cycle_collector_is_paused_during_an_import_only(world):
    import gc

    seen = []
    rows = premises_rows(3, "收")
    run_import(
        get_kind("premises"),
        csv_file(rows),
        "p.csv",
        world.users["cadre"],
        progress=lambda done, total: seen.append(gc.isenabled()),
    )
    assert seen[:-1] and not any(seen[:-1]) and gc.isenabled()  # the last report comes after the commit
    gc.disable()  # whoever had it off keeps it off
    try:
        run_import(get_kind("premises"), csv_file(rows), "p.csv", world.users["cadre"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_childs_reading_in_process_gives_the_height_then_the_rows():
    """What the capped child runs (reading._calamine_rows), run here: the sheet's height first, then
    its non-empty rows as the text a person sees (dates, whole floats, booleans)."""
    import datetime

    from wangge.core.tabular.reading import _calamine_rows

    book = Workbook()
    book.active.append(["日期", "数", "是否", "时刻"])
    book.active.append([datetime.date(2022, 7, 14), 3.0, True, datetime.datetime(2022, 7, 14, 8, 30)])
    book.active["B4"], book.active["C4"] = 2.5, False  # row 3 left empty
    out = io.BytesIO()
    book.save(out)
    height, *rows = list(_calamine_rows(out.getvalue()))
    assert height == 4
    assert rows == [
        (1, ["日期", "数", "是否", "时刻"]),
        (2, ["2022-07-14", "3", "是", "2022-07-14 08:30:00"]),
        (4, ["", "2.5", "否", ""]),
    ]
