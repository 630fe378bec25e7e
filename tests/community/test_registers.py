"""Compounds and residents: imports are idempotent by key (ID hash for residents), likely duplicates are
suggested and a merge keeps both histories."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from wangge.community.choices import DuplicateReason, ScreeningStatus, SuggestionStatus
from wangge.community.models import CareVisit, Compound, DuplicateSuggestion, Resident, ScreeningResult
from wangge.community.services import duplicates, screening
from wangge.core.models import AuditEntry
from wangge.core.roles import Role

from ..conftest import id_number, make_user
from .conftest import TODAY, import_rows

RESIDENT_HEADERS = ["姓名", "身份证号", "电话", "网格", "小区", "楼栋", "房号", "户号", "特殊人群", "家庭医生",
                    "签约日期"]


def _resident_rows():
    return [RESIDENT_HEADERS,
            ["钱芳", id_number("19380203", 91), "13811112222", "林泉第1网格", "林泉小区", "5号", "301", "LQ-5-301",
             "独居、慢性病", "doctor", "2022-03-01"],
            ["钱方", id_number("19380203", 93), "", "310105102022001", "林泉小区", "5号", "302", "LQ-5-302", "", "",
             ""],
            ["冯刚", id_number("19700101", 95), "", "林泉第2网格", "泉口小区", "", "", "", "", "", ""]]


def test_compounds_import_twice_changes_nothing(hood):
    cadre = hood.users["cadre"]
    rows = [["小区名称", "网格", "地址", "楼栋数", "户数", "人口"],
            ["林泉小区", "林泉第1网格", "林泉路1号", 4, 120, 300],  # exists: updated
            ["新泾家苑", "310105102022002", "新泾路9号", 6, 200, 520]]
    first = import_rows("compounds", rows, cadre)
    assert first.ok and (first.created, first.updated) == (1, 1), first.errors
    assert Compound.objects.get(name="新泾家苑").neighbourhood == hood.world.hoods["linquan"]
    entries = AuditEntry.objects.count()
    again = import_rows("compounds", rows, cadre)
    assert again.ok and again.unchanged == 2 and AuditEntry.objects.count() == entries


def test_compound_outside_scope_and_bad_numbers_are_cell_errors(hood):
    rows = [["小区名称", "网格", "楼栋数"], ["北虹小区", "310105102019001", "3"], ["甲", "林泉第1网格", "三"]]
    result = import_rows("compounds", rows, hood.users["cadre"])
    assert not result.ok and {(e.row, e.column) for e in result.errors} == {(2, "B"), (3, "C")}


def test_residents_import_twice_changes_nothing(hood):
    cadre = hood.users["cadre"]
    first = import_rows("residents", _resident_rows(), cadre)
    assert first.ok and first.created == 3, first.errors
    qian = Resident.objects.get(name="钱芳")
    assert qian.lives_alone and qian.chronic_illness and not qian.disabled and qian.compound.name == "林泉小区"
    assert qian.birth_date.isoformat() == "1938-02-03" and qian.doctor_signed_on.isoformat() == "2022-03-01"
    residents, entries = list(Resident.objects.values()), AuditEntry.objects.count()
    again = import_rows("residents", _resident_rows(), cadre)
    assert again.ok and again.unchanged == 3 and again.created == again.updated == 0
    assert list(Resident.objects.values()) == residents and AuditEntry.objects.count() == entries


def test_a_file_without_the_newer_columns_changes_only_what_it_holds(hood):
    """An older template's file (name, ID number, phone, grid) must not blank flags, compound or contract."""
    cadre = hood.users["cadre"]
    assert import_rows("residents", _resident_rows(), cadre).ok
    older = [["姓名", "身份证号", "联系电话", "网格"],
             ["钱芳", id_number("19380203", 91), "13899998888", "林泉第1网格"]]
    result = import_rows("residents", older, cadre)
    assert result.ok and result.updated == 1, result.errors
    qian = Resident.objects.get(name="钱芳")
    assert qian.phone == "13899998888"  # what the file holds is applied
    assert qian.lives_alone and qian.chronic_illness and qian.compound.name == "林泉小区" and qian.room == "301"
    assert qian.doctor_signed_on.isoformat() == "2022-03-01" and qian.family_doctor is not None


def test_resident_compound_must_be_in_its_grid(hood):
    rows = [RESIDENT_HEADERS[:5], ["甲", id_number("19700101", 97), "", "林泉第1网格", "泉口小区"]]
    result = import_rows("residents", rows, hood.users["cadre"])
    assert [(e.row, e.column) for e in result.errors] == [(2, "E")]


def test_likely_duplicates_are_suggested_after_import(hood):
    import_rows("residents", _resident_rows(), hood.users["cadre"])
    pair = DuplicateSuggestion.objects.get()
    assert {pair.first.name, pair.second.name} == {"钱芳", "钱方"} and pair.reason == DuplicateReason.NEAR_NAME
    # Looking again suggests nothing new; same name and birth date is the other reason.
    assert duplicates.suggest_duplicates([hood.compounds["linquan1"].pk]) == 0
    twin = Resident(name="钱芳", id_number=id_number("19380203", 99), grid=hood.world.grids["linquan1"],
                    compound=hood.compounds["linquan1"])
    twin.save()
    assert duplicates.suggest_duplicates([hood.compounds["linquan1"].pk]) == 2
    assert DuplicateSuggestion.objects.filter(reason=DuplicateReason.SAME_NAME_BIRTH).count() == 1


def test_merge_keeps_both_histories(hood, login):
    cadre = hood.users["cadre"]
    import_rows("residents", _resident_rows(), cadre)
    keep, other = Resident.objects.get(name="钱芳"), Resident.objects.get(name="钱方")
    opened = screening.open_round(cadre, name="第一轮", date=TODAY, compounds=[hood.compounds["linquan1"]])
    second = screening.open_round(cadre, name="第二轮", date=TODAY, compounds=[hood.compounds["linquan1"]])
    ScreeningResult.objects.filter(round=second, resident=keep).delete()  # only the other was on this roster
    screening.record_result(cadre, ScreeningResult.objects.get(round=opened, resident=other),
                            status=ScreeningStatus.TESTED)
    from wangge.community.services.care import record_care_visit

    visit, _ = record_care_visit(cadre, other, visited_on=TODAY, visitors="网格员", condition="good", today=TODAY)
    other_trail = set(AuditEntry.objects.for_object(other).values_list("pk", flat=True))
    keep_trail = set(AuditEntry.objects.for_object(keep).values_list("pk", flat=True))

    duplicates.merge(cadre, DuplicateSuggestion.objects.get(), keep)

    keep.refresh_from_db()
    other.refresh_from_db()
    assert other.merged_into == keep and Resident.objects.filter(pk=other.pk).exists()
    # Both trails are intact, each with the merge recorded.
    assert other_trail < set(AuditEntry.objects.for_object(other).values_list("pk", flat=True))
    assert keep_trail < set(AuditEntry.objects.for_object(keep).values_list("pk", flat=True))
    # The other's rows now belong to the kept record: its test result, its round, its visit.
    assert ScreeningResult.objects.get(round=opened, resident=keep).status == ScreeningStatus.TESTED
    assert ScreeningResult.objects.filter(round=second, resident=keep).exists()
    assert not ScreeningResult.objects.filter(resident=other).exists()
    assert CareVisit.objects.get(pk=visit.pk).resident == keep
    assert DuplicateSuggestion.objects.get().status == SuggestionStatus.MERGED
    # The merged record leaves the lists; the kept record's page shows both change records.
    client = login(cadre)
    assert "钱方" not in client.get("/residents/").content.decode()
    page = client.get(f"/residents/{keep.pk}/").content.decode()
    assert page.count('data-testid="audit-trail"') == 2 and "钱方" in page
    # A merged record cannot be edited, and the pair cannot be decided twice.
    response = client.post(f"/residents/duplicates/{DuplicateSuggestion.objects.get().pk}/decide/", {"keep": keep.pk})
    assert response.status_code == 302 and Resident.objects.get(pk=other.pk).merged_into == keep


def test_merge_refused_outside_scope(hood):
    import_rows("residents", _resident_rows(), hood.users["cadre"])
    pair = DuplicateSuggestion.objects.get()
    with pytest.raises(PermissionDenied):
        duplicates.merge(hood.users["leader"], pair, pair.first)  # the leader may not edit residents
    with pytest.raises(ValidationError):
        other_cadre = make_user("beihong_cadre", Role.NEIGHBOURHOOD_CADRE, [hood.world.hoods["beihong"]])
        duplicates.merge(other_cadre, pair, pair.first)  # another neighbourhood's cadre
    with pytest.raises(ValidationError):
        duplicates.merge(hood.users["cadre"], pair, hood.world.residents["linquan1"])  # not one of the pair


def test_masked_export_hides_health_flags(hood, login):
    import_rows("residents", _resident_rows(), hood.users["cadre"])
    body = login(hood.users["leader"]).get("/ledgers/residents/export.xlsx?q=钱芳").content
    row = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=3, values_only=True))[0]
    assert "独居" in row and not any("慢性病" in str(c) for c in row)
