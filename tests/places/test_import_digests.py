"""#23.1: a premises row imported before is recognised by a keyed digest of its cells and counted
unchanged without being cleaned — unless anything it depends on moved since.

Oracles: SQL counts and columns of the tables, the stored records read back, and how many rows went
through the kind's full `clean` (counted by a wrapper around the real method, which still runs).

Each file here differs from every other in a column no row fills (a header of its own after the kind's),
which leaves the rows' digests as they are but not the file's bytes or rows: the same bytes again, or the
same rows saved again, are recognised whole without taking a row (test_import_files.py), and the rows
would not be looked at."""

import io
import itertools

from django.db import connection
from django.utils.translation import gettext as _

from wangge.core.models import ImportDigest
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.core.validators import credit_code_check_character
from wangge.places import services
from wangge.places.models import Premises, PremisesCategory, RoadSegment

from .conftest import sql, template_with_a_row

HEADERS = ["名称", "类别", "地址", "网格", "统一社会信用代码", "联系电话", "开门时间", "关门时间", "从业人员", "纬度",
           "经度", "坐标系", "备注"]


CREDIT = "92310105ABCDEFGH1"


def rows(count: int, prefix: str = "店") -> list[list[str]]:
    return [[f"{prefix}{n}", "餐饮", f"仙霞西路{2 * (n % 40) + 1}号", "", "", f"139{n:08d}", "09:00", "21:00",
             str(n % 9), "", "", "", f"备注{n}"] for n in range(count)]


SAVED = itertools.count(1)


def csv_file(body: list[list[str]], headers=HEADERS) -> bytes:
    """The rows as a CSV file of its own: an empty column of another name each time."""
    return "\n".join(",".join(r) for r in [[*headers, f"空列{next(SAVED)}"], *body]).encode("utf-8")


def run(body, actor, *, dry_run=False, name="p.csv", headers=HEADERS):
    return run_import(get_kind("premises"), csv_file(body, headers), name, actor, dry_run=dry_run)


def test_a_second_import_of_the_same_file_cleans_no_row(world, cleaned):
    cadre = world.users["cadre"]
    body = rows(30)
    assert run(body, cadre).created == 30
    assert len(cleaned) == 30
    stored = sql("SELECT COUNT(*), COUNT(DISTINCT digest) FROM core_importdigest WHERE kind = 'premises'")
    assert stored == [(30, 30)]
    cleaned.clear()
    again = run(body, cadre)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 30)
    assert cleaned == []
    # Nothing written: no audit entry, no version moved, the digests as they were.
    assert sql("SELECT MAX(version) FROM places_premises WHERE name LIKE '店%%'") == [(1,)]


def test_a_file_with_one_changed_cell_updates_exactly_that_record(world, cleaned):
    cadre = world.users["cadre"]
    body = rows(20)
    run(body, cadre)
    body[7][5] = "13700000007"
    cleaned.clear()
    again = run(body, cadre)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 19)
    assert cleaned == ["店7"]
    assert sql("SELECT name, version FROM places_premises WHERE version > 1 AND name LIKE '店%%'") == [("店7", 2)]
    assert Premises.objects.get(name="店7").contact_phone == "13700000007"
    # The updated record's digest is the new row's, at its new version: the third run cleans nothing.
    cleaned.clear()
    third = run(body, cadre)
    assert (third.updated, third.unchanged, cleaned) == (0, 20, [])


def test_a_record_edited_after_the_import_is_compared_again(world, cleaned):
    cadre = world.users["cadre"]
    body = rows(10)
    run(body, cadre)
    edited = Premises.objects.get(name="店3")
    services.update_premises(cadre, edited, edited.version, notes="改过")  # as the form and the API do
    status_only = Premises.objects.get(name="店4")
    services.apply_status(cadre, status_only, "closed", "歇业")  # a version bump, no imported field
    cleaned.clear()
    again = run(body, cadre)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 9)
    assert sorted(cleaned) == ["店3", "店4"]
    assert Premises.objects.get(name="店3").notes == "备注3"  # the file's value is back


def test_a_row_out_of_the_importers_sight_still_gives_its_error(world, cleaned):
    """The grid worker sees the premises on 哈密路 (another neighbourhood) as its road chief; once the
    road has another chief, his next import of the same row must be refused, not counted unchanged.
    The premises' version does not move (a segment's chief is the segment's), nor do the grids he may
    name: only the look-up through visible_to tells."""
    worker, admin = world.users["gridworker"], world.users["admin"]
    body = [["哈密超市", "商超", "哈密路20号", "", "", "13900000020", "", "", "", "", "", "", ""]]
    assert run(body, admin).created == 1
    assert run(body, worker).unchanged == 1  # he sees it (road chief): compared, and its digest stored
    cleaned.clear()
    assert run(body, worker).unchanged == 1 and cleaned == []
    segment = RoadSegment.objects.get(road="哈密路")
    segment.chief = None
    services.save_segment(admin, segment, segment.version)
    refused = run(body, worker)
    assert not refused.ok and refused.unchanged == 0
    assert [(e.row, e.column) for e in refused.errors] == [(2, "A")]
    assert refused.errors[0].message == _("These premises are already registered in a grid you do not manage.")
    assert cleaned == ["哈密超市"]


def test_duplicate_rows_are_still_reported(world, cleaned):
    cadre = world.users["cadre"]
    body = rows(5)
    run(body, cadre)
    # Row 7 repeats row 3 (same cells: both recognised by digest); row 8 is row 4's shop with its
    # address spaced (cleaned, and found to be the same record as a row that was not).
    spaced = [*body[2]]
    spaced[2] = spaced[2].replace("号", " 号")
    duplicated = [*body, body[1], spaced]
    cleaned.clear()
    result = run(duplicated, cadre)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(7, "A"), (8, "A")]
    assert "3" in result.errors[0].message and "4" in result.errors[1].message
    assert cleaned == ["店2"]  # only the spaced row was cleaned


def test_a_dry_run_writes_no_digest(world):
    cadre = world.users["cadre"]
    body = rows(6)
    checked = run(body, cadre, dry_run=True)
    assert checked.ok and checked.created == 6
    assert sql("SELECT COUNT(*) FROM core_importdigest") == [(0,)]
    run(body, cadre)
    before = sql("SELECT object_id, digest, version FROM core_importdigest ORDER BY object_id")
    assert len(before) == 6
    body[0][12] = "新备注"
    edited = Premises.objects.get(name="店1")
    services.update_premises(cadre, edited, edited.version, notes="手改")
    checked = run(body, cadre, dry_run=True)
    assert (checked.updated, checked.unchanged) == (2, 4)
    assert sql("SELECT object_id, digest, version FROM core_importdigest ORDER BY object_id") == before
    assert Premises.objects.get(name="店0").notes == "备注0"


def test_an_error_anywhere_leaves_no_digest(world, settings):
    settings.IMPORT_CHUNK_ROWS = 4
    cadre = world.users["cadre"]
    body = [*rows(10), ["坏店", "不存在的类别", "仙霞西路1号", "", "", "", "", "", "", "", "", "", ""]]
    result = run(body, cadre)
    assert not result.ok
    assert sql("SELECT COUNT(*) FROM core_importdigest") == [(0,)]
    # And a file imported before, then again with a bad row: the digests of the earlier run stay as they were.
    run(body[:10], cadre)
    before = sql("SELECT object_id, digest, version FROM core_importdigest ORDER BY object_id")
    assert len(before) == 10
    body[5][12] = "改了"
    assert not run(body, cadre).ok
    assert sql("SELECT object_id, digest, version FROM core_importdigest ORDER BY object_id") == before


def test_the_templates_example_row_is_still_skipped(world, cleaned):
    cadre = world.users["cadre"]
    book = template_with_a_row()
    out = io.BytesIO()
    book.save(out)
    first = run_import(get_kind("premises"), out.getvalue(), "t.xlsx", cadre)
    assert (first.ok, first.created, first.skipped_example) == (True, 1, 1), first.errors
    book.worksheets[0].insert_rows(1)  # the same rows a line down: another file, read row by row
    resaved = io.BytesIO()
    book.save(resaved)
    assert resaved.getvalue() != out.getvalue()
    cleaned.clear()
    again = run_import(get_kind("premises"), resaved.getvalue(), "t.xlsx", cadre)
    assert (again.unchanged, again.skipped_example, cleaned) == (1, 1, [])


def test_a_renamed_category_changes_what_rows_clean_to(world, cleaned):
    cadre = world.users["cadre"]
    body = rows(3)
    run(body, cadre)
    cleaned.clear()
    assert run(body, cadre).unchanged == 3 and cleaned == []
    PremisesCategory.objects.filter(name="餐饮").update(name="餐饮服务")
    cleaned.clear()
    result = run(body, cadre)
    assert not result.ok and {(e.row, e.column) for e in result.errors} == {(2, "B"), (3, "B"), (4, "B")}
    assert len(cleaned) == 3


def test_rows_recognised_by_digest_are_those_the_full_clean_finds_unchanged(world, cleaned):
    """The digest is stored for rows just created or updated too; each must be one the full clean and
    comparison would call unchanged (coordinates converted, times, a credit code, a grid by name)."""
    cadre = world.users["cadre"]
    code = CREDIT + credit_code_check_character(CREDIT)
    body = [["甲店", "餐饮", "仙霞西路 7 号", "", code, "139 0000 0001", "9:00", "02:00", "3", "31.2", "121.4", "高德",
             "夜宵"],
            ["乙店", "沿街商铺", "林泉路12号", "林泉第2网格", "", "", "", "", "", "", "", "", ""],
            ["丙店", "宾馆", "北渔路5号", "林泉第1网格", "", "", "", "", "", "31.21", "121.39", "", ""]]
    first = run(body, cadre)
    assert first.ok, first.errors
    body[1][12] = "改了"  # one updated: its digest is stored after the update
    assert run(body, cadre).updated == 1
    ImportDigest.objects.all().delete()
    cleaned.clear()
    slow = run(body, cadre)  # no digest: every row cleaned and compared
    assert (slow.updated, slow.unchanged, len(cleaned)) == (0, 3, 3)
    cleaned.clear()
    fast = run(body, cadre)
    assert (fast.updated, fast.unchanged, cleaned) == (0, 3, [])


def test_the_digest_is_keyed(world, cleaned, settings):
    """Computed with the hash key, so a digest cannot be matched against every phone number without
    it: with another key, no stored digest is recognised."""
    cadre = world.users["cadre"]
    body = rows(4)
    run(body, cadre)
    cleaned.clear()
    assert run(body, cadre).unchanged == 4 and cleaned == []
    settings.PERSONAL_DATA_HASH_KEY = "another key"
    cleaned.clear()
    again = run(body, cadre)
    assert again.ok and len(cleaned) == 4


def test_a_deleted_records_digest_goes_with_it(world, cleaned):
    """Nothing is kept of a deleted record's row (its digest is a keyed pseudonym of its cells, the
    phone among them), and no stale digest can answer for a record made later with the same id."""
    cadre = world.users["cadre"]
    body = rows(1, "删后")
    run(body, cadre)
    gone = Premises.objects.get(name="删后0")
    gone_id = gone.pk
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE object_id = %s", [gone_id]) == [(1,)]
    services.delete_premises(cadre, gone)
    assert sql("SELECT COUNT(*) FROM core_importdigest WHERE object_id = %s", [gone_id]) == [(0,)]
    services.register_premises(cadre, name="表单店", category=PremisesCategory.objects.get(name="餐饮"),
                               address="仙霞西路9号")
    cleaned.clear()
    again = run(body, cadre)
    assert (again.ok, again.created, again.unchanged, cleaned) == (True, 1, 0, ["删后0"])


def test_digests_are_stored_over_several_statements(world, cleaned, monkeypatch):
    """More rows than one upsert statement carries (7 here): every row's digest stored once, all found again."""
    from wangge.core.tabular import digests

    monkeypatch.setattr(digests, "REMEMBER_BATCH", 7)  # SQLite
    monkeypatch.setattr(digests, "ARRAY_BATCH", 7)  # PostgreSQL: arrays of 7
    cadre = world.users["cadre"]
    body = rows(30, "批")
    assert run(body, cadre).created == 30
    assert sql("SELECT COUNT(*), COUNT(DISTINCT digest), COUNT(DISTINCT object_id) FROM core_importdigest "
               "WHERE kind = 'premises'") == [(30, 30, 30)]
    cleaned.clear()
    assert run(body, cadre).unchanged == 30 and cleaned == []


def test_one_record_twice_in_a_batch_keeps_the_last_digest(world):
    """As one upsert after another would: a statement may not update the same row twice (PostgreSQL)."""
    from wangge.core.tabular import digests

    premises = Premises.objects.first()
    digests.remember(get_kind("premises"), [(premises.pk, b"a" * 16, 1), (premises.pk, b"b" * 16, 2)])
    assert [(bytes(d), v) for d, v in sql("SELECT digest, version FROM core_importdigest WHERE object_id = %s",
                                          [premises.pk])] == [(b"b" * 16, 2)]


def test_rows_are_looked_up_over_several_statements(world, cleaned, monkeypatch):
    """More digests than one look-up carries (7 here, so batches of 7 and a shorter last one, each compiled
    once): every unchanged row found, the edited records' rows cleaned again, as the direct count says."""
    from wangge.core.tabular import digests

    monkeypatch.setattr(digests, "BATCH", 7)  # SQLite: one parameter a digest
    monkeypatch.setattr(digests, "ARRAY_BATCH", 7)  # PostgreSQL: one array parameter
    cadre = world.users["cadre"]
    body = rows(30, "查")
    assert run(body, cadre).created == 30
    with connection.cursor() as cursor:  # as an edit leaves them
        cursor.execute("UPDATE places_premises SET version = version + 1 WHERE name IN ('查3', '查17')")
    cleaned.clear()
    again = run(body, cadre)
    assert (again.unchanged, sorted(cleaned)) == (30, ["查17", "查3"])
