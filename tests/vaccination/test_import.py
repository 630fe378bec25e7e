"""Dose import by ID number: unknown ID numbers are row/column errors and nothing is imported; a second
import of the same file changes nothing; the statuses follow the imported doses."""

from wangge.core.models import AuditEntry
from wangge.vaccination.models import Dose, VaccinationStatus

from ..conftest import id_number
from .conftest import import_rows

HEAD = ["身份证号码", "剂次", "接种日期", "疫苗类型", "批号"]


def test_unknown_id_numbers_are_reported_by_row_and_nothing_is_imported(town):
    health = town.users["health"]
    known = town.world.residents["linquan1"].id_number
    stranger = id_number("19450101", 99)
    rows = [HEAD, [known, "1", "2021-05-01", "新冠病毒灭活疫苗(Vero细胞)", "A1"],
            [stranger, "1", "2021-05-02", "灭活疫苗", "A2"],
            [known, "第2剂", "2021/06/01", "inactivated", "A3"],
            [id_number("19460101", 98), "1", "2021-05-03", "灭活疫苗", ""]]
    result = import_rows("vaccination-doses", rows, health)
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(3, "A"), (5, "A")}
    assert stranger not in str([e.as_dict() for e in result.errors])  # ID numbers masked in the report
    assert Dose.objects.count() == 0 and VaccinationStatus.objects.count() == 0


def test_import_then_reimport_changes_nothing(town):
    health = town.users["health"]
    a, b = town.world.residents["linquan1"], town.world.residents["beihong2"]
    rows = [HEAD, [a.id_number, "1", "2021-05-01", "灭活疫苗", "A1"],
            [a.id_number, "2", "2021-06-01", "灭活疫苗", "A2"],
            [b.id_number, "1", "2021-05-01", "腺病毒载体疫苗", "B1"]]
    first = import_rows("vaccination-doses", rows, health)
    assert first.ok and first.created == 3, first.errors
    assert {s.resident_id: s.status for s in VaccinationStatus.objects.all()} == {a.pk: "full", b.pk: "full"}
    entries = AuditEntry.objects.count()
    again = import_rows("vaccination-doses", rows, health)
    assert again.ok and again.unchanged == 3 and again.created == again.updated == 0
    assert AuditEntry.objects.count() == entries
    # A corrected row updates the dose it names.
    rows[2][2] = "2021-06-02"
    fixed = import_rows("vaccination-doses", rows, health)
    assert fixed.ok and fixed.updated == 1
    assert Dose.objects.get(resident=a, number=2).given_on.isoformat() == "2021-06-02"


def test_import_needs_the_permission_and_the_area(town):
    rows = [HEAD, [town.world.residents["beihong1"].id_number, "1", "2021-05-01", "灭活疫苗", ""]]
    import pytest
    from django.core.exceptions import PermissionDenied

    from wangge.core.tabular.kinds import get_kind

    assert get_kind("vaccination-doses").import_permission == "import_doses"
    assert not town.users["cadre"].can("import_doses")
    # The admin may; the error for a person outside a health user's area would be the same row error.
    assert import_rows("vaccination-doses", rows, town.users["admin"]).ok
    with pytest.raises(PermissionDenied):
        from wangge.vaccination.services.doses import record_dose

        record_dose(town.users["cadre"], town.world.residents["linquan1"], number=1, given_on=None,
                    vaccine_type="inactivated", source="imported")
