"""The official working-day calendar (issue #20 point 20): seeded from `chinesecalendar`, checked against
the State Council's published 2022 arrangements (国办发明电〔2021〕11号), local settings kept."""

import datetime

import pytest
from django.core.management import ManagementUtility, call_command
from django.utils import timezone

from wangge.workorders import services
from wangge.workorders.calendar import _exceptions, is_working_day
from wangge.workorders.choices import HolidaySource, Kind
from wangge.workorders.holidays import seed_demo_years, seed_year
from wangge.workorders.models import Holiday

D = datetime.date

pytestmark = pytest.mark.django_db


def _working(day: datetime.date) -> bool:
    return is_working_day(day, _exceptions(day, day))


def test_2022_national_day_and_spring_festival_as_published(capsys):
    call_command("holidays", "--year", "2022")
    assert "2022年节假日安排" in capsys.readouterr().out
    # 国庆节: 1-7 October off; Saturday 8 and Sunday 9 October worked.
    for n in range(1, 8):
        assert not _working(D(2022, 10, n)), n
        assert Holiday.objects.get(date=D(2022, 10, n)).name == "国庆节"
    assert _working(D(2022, 10, 8)) and _working(D(2022, 10, 9))
    assert Holiday.objects.get(date=D(2022, 10, 8)).source == HolidaySource.OFFICIAL
    # 春节: 31 January to 6 February off; Saturday 29 and Sunday 30 January worked.
    for day in [D(2022, 1, 31)] + [D(2022, 2, n) for n in range(1, 7)]:
        assert not _working(day), day
        assert Holiday.objects.get(date=day).name == "春节"
    assert _working(D(2022, 1, 29)) and _working(D(2022, 1, 30))
    # The other holidays have their Chinese names.
    names = set(Holiday.objects.filter(is_working_day=False).values_list("name", flat=True))
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def test_a_deadline_across_national_day_2022_is_counted_by_hand(world):
    seed_year(2022)
    order = services.raise_order(world.users["admin"], kind=Kind.RECTIFICATION, title="整改",
                                 grid=world.grids["linquan1"], assignee=world.users["gridworker"], today=D(2022, 9, 30))
    # Five working days after Friday 30 September: Sat 8 Oct (worked), Sun 9, Mon 10, Tue 11, Wed 12.
    assert order.deadline == D(2022, 10, 12)


def test_reseeding_is_idempotent_and_keeps_local_settings():
    first = seed_year(2022)
    assert (first.added, first.updated, first.kept_local) == (39, 0, 0)
    # The town works Sunday 9 October off by its own decision, and names a day it adds itself.
    local = Holiday.objects.get(date=D(2022, 10, 9))
    local.is_working_day, local.name, local.source = False, "本镇调整", HolidaySource.LOCAL
    local.save()
    Holiday.objects.create(date=D(2022, 7, 15), name="本镇自定", source=HolidaySource.LOCAL)
    # A stale official row the package does not list is withdrawn; a wrong official name is corrected.
    Holiday.objects.filter(date=D(2022, 10, 1)).update(name="旧名称")
    Holiday.objects.create(date=D(2022, 3, 1), name="旧数据", source=HolidaySource.OFFICIAL)
    again = seed_year(2022)
    assert (again.added, again.updated, again.kept_local, again.unchanged, again.removed) == (0, 1, 1, 37, 1)
    assert not Holiday.objects.filter(date=D(2022, 3, 1)).exists()
    local.refresh_from_db()
    assert (local.is_working_day, local.name, local.source) == (False, "本镇调整", HolidaySource.LOCAL)
    assert Holiday.objects.filter(date=D(2022, 7, 15), name="本镇自定").exists()
    assert Holiday.objects.get(date=D(2022, 10, 1)).name == "国庆节"
    count = Holiday.objects.count()
    third = seed_year(2022)
    assert (third.added, third.updated, third.kept_local, third.removed) == (0, 0, 1, 0)
    assert Holiday.objects.count() == count == 40


def test_an_admin_edit_makes_the_row_local(world, login):
    seed_year(2022)
    row = Holiday.objects.get(date=D(2022, 10, 8))
    client = login(world.users["admin"])
    world.users["admin"].is_staff = world.users["admin"].is_superuser = True
    world.users["admin"].save()
    response = client.post(f"/admin/workorders/holiday/{row.pk}/change/",
                           {"date": "2022-10-08", "name": "本镇休息", "version": row.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert (row.source, row.is_working_day, row.name) == (HolidaySource.LOCAL, False, "本镇休息")
    assert seed_year(2022).kept_local == 1
    row.refresh_from_db()
    assert not row.is_working_day


def test_a_year_the_package_does_not_know_is_one_chinese_line_and_exit_2(capsys):
    from django.core.management import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("holidays", "--year", "2099")
    assert refused.value.returncode == 2 and not Holiday.objects.exists()
    with pytest.raises(SystemExit) as done:  # as typed (it closes the connection: no query after it)
        ManagementUtility(["wangge", "holidays", "--year", "2099"]).execute()
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert done.value.code == 2
    assert len(lines) == 1 and "没有2099年的节假日安排" in lines[0] and "Traceback" not in err


def test_the_demo_seeds_2022_and_the_years_the_package_knows():
    results = seed_demo_years(D(2022, 7, 11))
    assert [r.year for r in results] == [2022, 2023]
    assert Holiday.objects.filter(date__year=2023, source=HolidaySource.OFFICIAL).exists()


WARNING = "尚未导入{year}年节假日安排，逾期计算将把法定假日当作工作日。运行 wangge holidays --year {year}"


def test_administrators_are_warned_when_next_year_has_no_calendar(world, login):
    next_year = timezone.localdate().year + 1
    text = WARNING.format(year=next_year)
    assert text in login(world.users["admin"]).get("/").content.decode()
    for name in ("leader", "gridworker"):  # only administrators see it (dashboard and inbox homes)
        assert "尚未导入" not in login(world.users[name]).get("/").content.decode(), name
    # A local row alone is no calendar; an official one is.
    Holiday.objects.create(date=D(next_year, 1, 1), name="元旦", source=HolidaySource.LOCAL)
    assert text in login(world.users["admin"]).get("/").content.decode()
    Holiday.objects.create(date=D(next_year, 5, 1), name="劳动节", source=HolidaySource.OFFICIAL)
    assert "尚未导入" not in login(world.users["admin"]).get("/").content.decode()
