"""#23.1: the same file imported again is recognised whole (its bytes' keyed digest, ImportFile) and
counted unchanged without being read — while every row's record is still as its import left it; the same
rows in other bytes (saved again) by their fingerprint, read once but not taken row by row.

Oracles: whether the file was opened at all, whether its rows were looked up one by one and how many were
cleaned (wrappers around the real functions, which still run), SQL counts and columns of the tables, and
the result of the same rows moved down a line (leading blank lines: another fingerprint), which goes row by
row (test_import_digests.py)."""

import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wangge.core.models import ImportDigest, ImportFile, ImportJob
from wangge.core.tabular import digests, importer
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.places import services
from wangge.places.models import Premises, PremisesCategory, RoadSegment

from .conftest import sql, template_with_a_row

HEADERS = ["名称", "类别", "地址", "网格", "联系电话", "备注"]


def rows(count: int, prefix: str = "整") -> list[list[str]]:
    return [[f"{prefix}{n}", "餐饮", f"仙霞西路{2 * (n % 40) + 1}号", "", f"139{n:08d}", f"备注{n}"]
            for n in range(count)]


def csv_file(body: list[list[str]], saved: int = 0, shifted: int = 0) -> bytes:
    """The rows as CSV; `saved` trailing blank lines make other bytes of the same rows (saved again);
    `shifted` leading blank lines move them down (other row numbers, another fingerprint)."""
    return ("\n" * shifted + "\n".join(",".join(r) for r in [HEADERS, *body]) + "\n" * saved).encode("utf-8")


@pytest.fixture
def opened(monkeypatch):
    """How many times a file was opened for reading (the real open_sheet runs)."""
    real, calls = importer.open_sheet, []

    def counting(source, filename, **options):
        calls.append(filename)
        return real(source, filename, **options)

    monkeypatch.setattr(importer, "open_sheet", counting)
    return calls


@pytest.fixture
def looked_up(monkeypatch):
    """How many rows' digests were looked up one by one (the real digests.known runs)."""
    real, calls = digests.known, []

    def counting(kind, actor, row_digests):
        calls.extend(row_digests)
        return real(kind, actor, row_digests)

    monkeypatch.setattr(digests, "known", counting)
    return calls


def run(data: bytes, actor, *, dry_run=False, name="p.csv"):
    return run_import(get_kind("premises"), data, name, actor, dry_run=dry_run)


def counts(result) -> tuple:
    return result.ok, result.total, result.created, result.updated, result.unchanged, len(result.errors)


def test_the_same_bytes_again_are_not_read(world, opened, cleaned):
    cadre = world.users["cadre"]
    data = csv_file(rows(25))
    assert counts(run(data, cadre)) == (True, 25, 25, 0, 0, 0)
    assert sql("SELECT kind, rows, rows_read FROM core_importfile") == [("premises", 25, 25)]
    file_id = ImportFile.objects.get().pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(25,)]
    opened.clear(), cleaned.clear()
    digests_before = sql("SELECT object_id, digest, version, file FROM core_importdigest ORDER BY object_id")
    again = run(data, cadre)
    assert counts(again) == (True, 25, 0, 0, 25, 0)
    assert (opened, cleaned) == ([], [])
    assert sql("SELECT MAX(version) FROM places_premises WHERE name LIKE '整%%'") == [(1,)]
    assert sql("SELECT object_id, digest, version, file FROM core_importdigest ORDER BY object_id") == digests_before


def test_recognising_a_file_takes_the_same_queries_whatever_its_length(world):
    cadre = world.users["cadre"]
    short, long = csv_file(rows(5, "短")), csv_file(rows(60, "长"))
    run(short, cadre), run(long, cadre)
    taken = []
    for data in (short, long):
        with CaptureQueriesContext(connection) as queries:
            assert run(data, cadre).unchanged in (5, 60)
        taken.append(len(queries))
    assert taken[0] == taken[1] and taken[0] <= 8, taken


def test_a_record_edited_since_sends_the_file_through_row_by_row(world, opened, cleaned):
    cadre = world.users["cadre"]
    data = csv_file(rows(10))
    run(data, cadre)
    edited = Premises.objects.get(name="整3")
    services.update_premises(cadre, edited, edited.version, notes="手改")
    opened.clear(), cleaned.clear()
    again = run(data, cadre)
    assert counts(again) == (True, 10, 0, 1, 9, 0)
    assert (len(opened), cleaned) == (1, ["整3"])
    assert Premises.objects.get(name="整3").notes == "备注3"
    # Every row is the file's again (the nine found unchanged marked with it too): the third run reads nothing.
    file_id = ImportFile.objects.get().pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(10,)]
    opened.clear(), cleaned.clear()
    assert counts(run(data, cadre)) == (True, 10, 0, 0, 10, 0) and (opened, cleaned) == ([], [])


def test_a_deleted_record_is_made_again(world, opened, cleaned):
    cadre = world.users["cadre"]
    data = csv_file(rows(4))
    run(data, cadre)
    services.delete_premises(cadre, Premises.objects.get(name="整2"))
    opened.clear(), cleaned.clear()
    assert counts(run(data, cadre)) == (True, 4, 1, 0, 3, 0)
    assert (len(opened), cleaned) == (1, ["整2"])
    assert sql("SELECT COUNT(*) FROM places_premises WHERE name = '整2'") == [(1,)]


def test_a_record_out_of_the_importers_sight_is_refused_as_row_by_row(world, opened):
    """The road chief of 哈密路 imported the row; once the road has another chief, the same bytes must be
    refused for him as row by row, not counted unchanged."""
    worker, admin = world.users["gridworker"], world.users["admin"]
    data = csv_file([["哈密超市", "商超", "哈密路20号", "", "13900000020", ""]])
    assert run(data, admin).created == 1
    assert run(data, worker).unchanged == 1  # read, compared, and now the worker's file too
    opened.clear()
    assert run(data, worker).unchanged == 1 and opened == []
    segment = RoadSegment.objects.get(road="哈密路")
    segment.chief = None
    services.save_segment(admin, segment, segment.version)
    refused = run(data, worker)
    assert not refused.ok and refused.unchanged == 0 and len(opened) == 1
    assert [(e.row, e.column) for e in refused.errors] == [(2, "A")]


def test_a_renamed_category_or_another_key_reads_the_file(world, opened, settings):
    cadre = world.users["cadre"]
    data = csv_file(rows(3))
    run(data, cadre)
    settings.PERSONAL_DATA_HASH_KEY = "another key"  # the file's digest is keyed: another key, another digest
    opened.clear()
    assert run(data, cadre).ok and len(opened) == 1
    PremisesCategory.objects.filter(name="餐饮").update(name="餐饮服务")
    opened.clear()
    result = run(data, cadre)
    assert not result.ok and len(result.errors) == 3 and len(opened) == 1


def test_a_dry_run_records_no_file_but_is_answered_from_one(world, opened):
    cadre = world.users["cadre"]
    data = csv_file(rows(6))
    assert counts(run(data, cadre, dry_run=True)) == (True, 6, 6, 0, 0, 0)
    assert sql("SELECT COUNT(*) FROM core_importfile") == [(0,)]
    run(data, cadre)
    opened.clear()
    checked = run(data, cadre, dry_run=True)
    assert (checked.dry_run, counts(checked), opened) == (True, (True, 6, 0, 0, 6, 0), [])


def test_a_file_with_errors_records_nothing(world):
    cadre = world.users["cadre"]
    data = csv_file([*rows(3), ["坏店", "不存在的类别", "仙霞西路1号", "", "", ""]])
    assert not run(data, cadre).ok
    assert sql("SELECT COUNT(*) FROM core_importfile") == [(0,)]
    assert sql("SELECT COUNT(*) FROM core_importdigest") == [(0,)]
    assert not run(data, cadre).ok  # and the same bad bytes again: still read, still refused


def test_a_row_imported_from_another_file_takes_its_mark(world, opened):
    """A digest carries the file that last imported its row, written or found unchanged: a file whose rows
    another file imported since is read (and takes them back); then it is recognised again."""
    cadre = world.users["cadre"]
    body = rows(12)
    first, second = csv_file(body[:8]), csv_file(body[4:])
    run(first, cadre)
    opened.clear()
    assert counts(run(second, cadre)) == (True, 8, 4, 0, 4, 0)
    assert counts(run(first, cadre)) == (True, 8, 0, 0, 8, 0) and len(opened) == 2  # four rows are the second's
    assert counts(run(first, cadre)) == (True, 8, 0, 0, 8, 0) and len(opened) == 2  # all eight its own again
    changed = [row[:] for row in body[4:8]]
    changed[1][5] = "另一个文件改的"
    assert counts(run(csv_file(changed), cadre)) == (True, 4, 0, 1, 3, 0)
    opened.clear()
    assert counts(run(first, cadre)) == (True, 8, 0, 1, 7, 0) and len(opened) == 1
    assert Premises.objects.get(name="整5").notes == "备注5"
    opened.clear()
    assert counts(run(first, cadre)) == (True, 8, 0, 0, 8, 0) and opened == []


def test_the_templates_example_row_is_counted_as_it_was(world, opened):
    cadre = world.users["cadre"]
    book = template_with_a_row()
    out = io.BytesIO()
    book.save(out)
    first = run(out.getvalue(), cadre, name="t.xlsx")
    assert (first.ok, first.created, first.skipped_example, first.rows_read) == (True, 1, 1, 2), first.errors
    opened.clear()
    again = run(out.getvalue(), cadre, name="t.xlsx")
    assert (again.unchanged, again.skipped_example, again.rows_read, opened) == (1, 1, 2, [])


def test_a_lowered_row_limit_is_still_enforced(world, settings, opened):
    cadre = world.users["cadre"]
    data = csv_file(rows(5))
    run(data, cadre)
    settings.IMPORT_MAX_ROWS = 3
    opened.clear()
    result = run(data, cadre)
    assert result.file_error and len(opened) == 1


def test_the_same_rows_saved_again_are_recognised_by_their_fingerprint(world, opened, looked_up, cleaned):
    """Other bytes of the same rows (blank lines at the end, Windows line endings, a byte-order mark) are read
    once for their fingerprint, none looked up or cleaned, nothing written."""
    cadre = world.users["cadre"]
    body = rows(30, "标")
    first = csv_file(body)
    run(first, cadre)
    written = sql("SELECT object_id, digest, version, file FROM core_importdigest ORDER BY object_id")
    files = sql("SELECT id, digest, content FROM core_importfile")
    opened.clear(), looked_up.clear(), cleaned.clear()
    crlf = first.replace(b"\n", b"\r\n")
    for other in (csv_file(body, saved=3), crlf, b"\xef\xbb\xbf" + first, first.decode().encode("gb18030")):
        assert other != first
        assert counts(run(other, cadre)) == (True, 30, 0, 0, 30, 0)
    assert (len(opened), looked_up, cleaned) == (4, [], [])
    assert sql("SELECT object_id, digest, version, file FROM core_importdigest ORDER BY object_id") == written
    assert sql("SELECT id, digest, content FROM core_importfile") == files
    opened.clear()
    assert run(first, cadre).unchanged == 30 and opened == []  # the first bytes still need no reading


def test_a_workbook_saved_again_is_recognised_by_its_rows(world, opened, looked_up):
    """A workbook saved again (another title in its properties: other bytes, the same cells)."""
    from openpyxl import Workbook

    cadre = world.users["cadre"]
    book = Workbook()
    for row in [HEADERS, *rows(9, "簿")]:
        book.active.append(row)
    saved = []
    for title in ("", "又存了一次"):
        book.properties.title = title
        out = io.BytesIO()
        book.save(out)
        saved.append(out.getvalue())
    assert saved[0] != saved[1]
    assert counts(run(saved[0], cadre, name="p.xlsx")) == (True, 9, 9, 0, 0, 0)
    opened.clear(), looked_up.clear()
    assert counts(run(saved[1], cadre, name="p.xlsx")) == (True, 9, 0, 0, 9, 0)
    assert (len(opened), looked_up) == (1, [])


def test_a_weeks_ledger_with_a_row_edited_is_recognised_when_saved_again(world, opened, looked_up):
    """The second week's ledger changes one row: it is read row by row (one updated), and its rows found
    unchanged take its mark with the one written, so the same ledger saved again is recognised."""
    cadre = world.users["cadre"]
    body = rows(12, "周")
    run(csv_file(body), cadre)
    week2 = [row[:] for row in body]
    week2[3][5] = "第二周改"
    looked_up.clear()
    assert counts(run(csv_file(week2), cadre)) == (True, 12, 0, 1, 11, 0) and len(looked_up) == 12
    file_id = ImportFile.objects.latest("imported_at").pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(12,)]
    opened.clear(), looked_up.clear()
    assert counts(run(csv_file(week2, saved=2), cadre)) == (True, 12, 0, 0, 12, 0)
    assert (len(opened), looked_up) == (1, [])


def test_rows_saved_again_after_an_edit_stay_one_files(world, opened, looked_up):
    """The same rows saved again after a record was edited go row by row, into the file of those rows (one
    ImportFile, its bytes now the new ones); then the new bytes need no reading and the first bytes are
    recognised by their rows. A file recorded before rows were fingerprinted (no content) takes them when
    its bytes go row by row."""
    cadre = world.users["cadre"]
    body = rows(10, "改")
    first, resaved = csv_file(body), csv_file(body, saved=1)
    run(first, cadre)
    edited = Premises.objects.get(name="改4")
    services.update_premises(cadre, edited, edited.version, notes="手改")
    assert counts(run(resaved, cadre)) == (True, 10, 0, 1, 9, 0)
    assert sql("SELECT COUNT(*) FROM core_importfile") == [(1,)]
    file_id = ImportFile.objects.get().pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(10,)]
    opened.clear(), looked_up.clear()
    assert run(resaved, cadre).unchanged == 10 and opened == []
    assert run(first, cadre).unchanged == 10 and (len(opened), looked_up) == (1, [])
    ImportFile.objects.update(content=None)  # as a file recorded before session 16
    services.update_premises(cadre, edited, Premises.objects.get(pk=edited.pk).version, notes="又改")
    assert counts(run(resaved, cadre)) == (True, 10, 0, 1, 9, 0)
    assert ImportFile.objects.get().content is not None
    opened.clear()
    assert run(first, cadre).unchanged == 10 and len(opened) == 1  # by its rows again


def test_rows_moved_down_a_line_are_read_row_by_row_and_take_the_new_files_mark(world, opened, looked_up,
                                                                                 cleaned, monkeypatch):
    """Leading blank lines move every row (another fingerprint): each row is found by its digest (none
    cleaned), marked with the new file in batches (of 7), and those bytes are recognised next time."""
    monkeypatch.setattr(digests, "BATCH", 7)  # SQLite
    monkeypatch.setattr(digests, "ARRAY_BATCH", 7)  # PostgreSQL: arrays of 7
    cadre = world.users["cadre"]
    body = rows(30, "移")
    run(csv_file(body), cadre)
    looked_up.clear(), cleaned.clear()
    moved = csv_file(body, shifted=2)
    assert counts(run(moved, cadre)) == (True, 30, 0, 0, 30, 0)
    assert (len(looked_up), cleaned) == (30, [])
    file_id = ImportFile.objects.latest("imported_at").pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(30,)]
    opened.clear()
    assert run(moved, cadre).unchanged == 30 and opened == []


def test_the_pages_check_and_import_the_same_file_again(world, login, opened):
    """Through the pages, as a cadre uploads: check, confirm; the same file again is checked and imported
    without being read, and its job shows the counts and a finished progress bar."""
    client = login(world.users["cadre"])
    data = csv_file(rows(12, "页"))

    def upload() -> tuple[ImportJob, ImportJob]:
        file = io.BytesIO(data)
        file.name = "场所台账.csv"
        assert client.post("/ledgers/premises/import/", {"file": file}).status_code == 302
        check = ImportJob.objects.latest("pk")
        assert client.post(f"/ledgers/jobs/{check.pk}/confirm/").status_code == 302
        return check, ImportJob.objects.get(checked=check)

    check, done = upload()
    assert (check.summary["created"], done.summary["created"], len(opened)) == (12, 12, 2)
    opened.clear()
    check, done = upload()
    assert (check.status, check.summary["unchanged"], done.status, done.summary["unchanged"]) == (
        "done", 12, "done", 12)
    assert opened == [] and done.done == done.total > 0
    page = client.get(f"/ledgers/jobs/{done.pk}/")
    assert page.status_code == 200 and "新增 0 条，更新 0 条，12 条无变化。" in page.content.decode()


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_recognised_or_read_row_by_row_the_answer_is_the_same(world, seed):
    """After random edits, status changes, deletions and other files, a dry run of the same bytes (which
    may be recognised whole) and one of the same rows saved again (which may be recognised by its rows)
    answer as a dry run of the same rows moved down (read row by row): counts, and errors a row apart."""
    chooser = random.Random(seed)
    cadre = world.users["cadre"]
    body = rows(20, f"随{seed}_")
    data = csv_file(body)
    run(data, cadre)
    for step in range(6):
        names = [f"随{seed}_{n}" for n in chooser.sample(range(20), 2)]
        action = chooser.choice(["edit", "status", "delete", "other file", "nothing", "again"])
        target = Premises.objects.filter(name=names[0]).first()
        if action == "edit" and target:
            services.update_premises(cadre, target, target.version, notes=f"改{step}")
        elif action == "status" and target and target.status != "closed":
            services.apply_status(cadre, target, "closed", "歇业")
        elif action == "delete" and target:
            services.delete_premises(cadre, target)
        elif action == "other file":
            other = [row for row in body if row[0] in names]
            run(csv_file(other, saved=step + 1), cadre)
        elif action == "again":
            run(data, cadre)
        recognised = run(data, cadre, dry_run=True)
        resaved = run(csv_file(body, saved=50 + step), cadre, dry_run=True)  # maybe recognised by its rows
        read = run(csv_file(body, shifted=1 + step), cadre, dry_run=True)  # rows moved: read row by row
        assert counts(recognised) == counts(read) == counts(resaved), (step, action)
        assert recognised.errors == [] or [(e.row - 1 - step, e.column, e.message) for e in read.errors] == [
            (e.row, e.column, e.message) for e in recognised.errors]
    assert ImportDigest.objects.filter(file__isnull=True).count() == 0


def test_each_created_records_id_and_version_are_stored_with_its_digest(world, settings):
    """Rows just created take their record's id and version from the insert (no query for them): each
    digest names its record at the version the record has, by SQL."""
    settings.IMPORT_CHUNK_ROWS = 7  # several chunks
    cadre = world.users["cadre"]
    assert run(csv_file(rows(30, "记")), cadre).created == 30
    assert sql("SELECT COUNT(*) FROM core_importdigest d JOIN places_premises p ON p.id = d.object_id "
               "AND p.version = d.version WHERE p.name LIKE '记%%'") == [(30,)]
