"""#23.1: the same file imported again is recognised whole (its bytes' keyed digest, ImportFile) and
counted unchanged without being read — while every row's record is still as its import left it.

Oracles: whether the file was opened at all and how many rows were cleaned (wrappers around the real
functions, which still run), SQL counts and columns of the tables, and the result of the same rows in
other bytes (a file saved again), which goes row by row (test_import_digests.py)."""

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


def csv_file(body: list[list[str]], saved: int = 0) -> bytes:
    """The rows as CSV; `saved` trailing blank lines make other bytes of the same rows (saved again)."""
    return ("\n".join(",".join(r) for r in [HEADERS, *body]) + "\n" * saved).encode("utf-8")


@pytest.fixture
def opened(monkeypatch):
    """How many times a file was opened for reading (the real open_sheet runs)."""
    real, calls = importer.open_sheet, []

    def counting(source, filename):
        calls.append(filename)
        return real(source, filename)

    monkeypatch.setattr(importer, "open_sheet", counting)
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


def test_a_row_written_from_another_file_sends_the_first_through_row_by_row(world, opened):
    """A digest carries the file that wrote it. Rows another file finds unchanged keep the first file's
    mark; a row another file changes is that file's, and the first is read (and its row written back)."""
    cadre = world.users["cadre"]
    body = rows(12)
    first, second = csv_file(body[:8]), csv_file(body[4:])
    run(first, cadre)
    assert counts(run(second, cadre)) == (True, 8, 4, 0, 4, 0)
    opened.clear()
    assert counts(run(first, cadre)) == (True, 8, 0, 0, 8, 0) and opened == []
    assert counts(run(second, cadre)) == (True, 8, 0, 0, 8, 0) and len(opened) == 1  # half its rows are the first's
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


def test_a_file_saved_again_is_read_and_the_first_still_recognised(world, monkeypatch, opened, cleaned):
    """Other bytes of the same rows are read (each row found by its digest, none cleaned); the rows keep the
    mark of the file that wrote them, written over several statements (batches of 7)."""
    monkeypatch.setattr(digests, "REMEMBER_BATCH", 7)  # SQLite
    monkeypatch.setattr(digests, "ARRAY_BATCH", 7)  # PostgreSQL: arrays of 7
    cadre = world.users["cadre"]
    first = csv_file(rows(30, "标"))
    run(first, cadre)
    file_id = ImportFile.objects.get().pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(30,)]
    cleaned.clear()
    assert run(csv_file(rows(30, "标"), saved=1), cadre).unchanged == 30
    assert (len(opened), cleaned) == (2, [])
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE file = %s", [file_id]) == [(30,)]
    opened.clear()
    assert run(first, cadre).unchanged == 30 and opened == []


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
    may be recognised whole) answers as a dry run of the same rows saved again (read row by row)."""
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
        read = run(csv_file(body, saved=50 + step), cadre, dry_run=True)
        assert counts(recognised) == counts(read), (step, action)
        assert recognised.errors == read.errors
    assert ImportDigest.objects.filter(file__isnull=True).count() == 0


def test_each_created_records_id_and_version_are_stored_with_its_digest(world, settings):
    """Rows just created take their record's id and version from the insert (no query for them): each
    digest names its record at the version the record has, by SQL."""
    settings.IMPORT_CHUNK_ROWS = 7  # several chunks
    cadre = world.users["cadre"]
    assert run(csv_file(rows(30, "记")), cadre).created == 30
    assert sql("SELECT COUNT(*) FROM core_importdigest d JOIN places_premises p ON p.id = d.object_id "
               "AND p.version = d.version WHERE p.name LIKE '记%%'") == [(30,)]
