"""#22.8: lists leave the screen with names, not codes: an export names the grid and the person
("王医生（wangys）"), re-imports unchanged, and its print shows the name alone."""

from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind

from ..exported import exported_rows


def test_residents_export_and_print_name_grid_and_doctor(world, login):
    doctor = world.users["doctor"]
    doctor.full_name = "王医生"
    doctor.save()
    client = login(world.users["cadre"])
    export = client.get("/ledgers/residents/export.xlsx")
    rows = {r[0]: r for r in exported_rows(export.content)}
    zhang = rows["张伟"]
    assert zhang[3] == "林泉第1网格" and zhang[5] == "王医生（doctor）"
    printed = client.get("/ledgers/residents/print/").content.decode()
    assert "王医生" in printed and "（doctor）" not in printed and "林泉第1网格" in printed


def test_road_segments_export_names_the_chief_and_re_imports(world, login):
    chief = world.users["gridworker"]
    chief.full_name = "李路长"
    chief.save()
    export = login(world.users["admin"]).get("/ledgers/road-segments/export.xlsx")
    rows = exported_rows(export.content)
    hami = next(r for r in rows if r[0] == "哈密路")
    assert hami[4] == "北虹第1网格" and hami[5] == "李路长（gridworker）"
    again = run_import(get_kind("road-segments"), export.content, "路段.xlsx", world.users["admin"])
    assert again.ok and again.unchanged == len(rows), again.errors
    # The name alone names them too when no one else has it.
    data = f"路名,起始门牌,终止门牌,单双号,网格,路长\n哈密路,1,200,{hami[3]},北虹第1网格,李路长\n".encode()
    assert run_import(get_kind("road-segments"), data, "路段.csv", world.users["admin"]).unchanged == 1
