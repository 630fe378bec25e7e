"""The staff pages: overview with today's figures and the week, the phone page's one tap, forms."""

import datetime
import json

from django.utils import timezone

from wangge.sampling import services
from wangge.sampling.models import SamplingSite, SiteShift


def _shift(world, site, day, shift, samples, staff=3, volunteers=5):
    services.record_shift(world.users["admin"], site, day, shift, samples=samples, staff_count=staff,
                          volunteer_count=volunteers)


def test_overview_shows_the_days_figures_and_a_week(world, sites, login, django_assert_max_num_queries):
    today = timezone.localdate()
    _shift(world, sites["linquan1"], today, "morning", 300, 4, 6)
    _shift(world, sites["linquan1"], today, "afternoon", 200, 3, 5)
    _shift(world, sites["linquan2"], today - datetime.timedelta(days=3), "evening", 150)
    _shift(world, sites["linquan2"], today - datetime.timedelta(days=9), "evening", 999)  # outside the week
    client = login(world.users["cadre"])
    with django_assert_max_num_queries(14):
        response = client.get("/sampling/")
    html = response.content.decode()
    assert "采样点" in html and "共采样 500 人" in html and "上午班 4+6: 300" in html
    chart = response.context["chart"]
    assert {s["name"]: s["data"] for s in chart["series"]} == {sites["linquan1"].name: [0, 0, 0, 0, 0, 0, 500],
                                                               sites["linquan2"].name: [0, 0, 0, 150, 0, 0, 0]}
    script = html.split('<script id="sampling-week-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(script) == chart  # the chart's data is the table's figures
    assert 'id="sampling-week-data"' in html and "sampling_week_chart.js" in html
    assert response.context["week"].totals == [0, 0, 0, 150, 0, 0, 500]


def test_overview_falls_back_to_the_last_day_with_figures(world, sites, login):
    _shift(world, sites["linquan1"], datetime.date(2022, 7, 14), "morning", 321)
    response = login(world.users["cadre"]).get("/sampling/")
    assert response.context["day"] == datetime.date(2022, 7, 14) and response.context["fell_back"]
    asked = login(world.users["cadre"]).get("/sampling/?date=2022-07-13")
    assert asked.context["day"] == datetime.date(2022, 7, 13) and asked.context["day_total"] == 0
    assert login(world.users["cadre"]).get("/sampling/?date=2022-13-45").status_code == 200


def test_one_tap_through_htmx_returns_the_panel(world, sites, login):
    site = sites["linquan1"]
    client = login(world.users["sampler"])
    page = client.get(f"/sampling/{site.pk}/").content.decode()
    assert page.count('name="minutes"') == 6 and "60+" in page
    response = client.post(f"/sampling/{site.pk}/wait/", {"minutes": "45"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="wait-panel"' in response.content.decode()
    assert "45 分钟" in response.content.decode()
    site.refresh_from_db()
    assert site.wait_minutes == 45 and site.wait_set_by == world.users["sampler"]
    bad = client.post(f"/sampling/{site.pk}/wait/", {"minutes": "lots"}, HTTP_HX_REQUEST="true")
    assert "等候时间为 0 到 600 分钟" in bad.content.decode()
    site.refresh_from_db()
    assert site.wait_minutes == 45


def test_shift_form_saves_and_refuses_in_chinese(world, sites, login):
    site = sites["linquan1"]
    client = login(world.users["sampler"])
    today = timezone.localdate().isoformat()
    ok = client.post(f"/sampling/{site.pk}/shift/", {"date": today, "shift": "morning", "samples": "400",
                                                      "staff_count": "4", "volunteer_count": "6"})
    assert ok.status_code == 302 and SiteShift.objects.get().samples == 400
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = client.post(f"/sampling/{site.pk}/shift/", {"date": future, "shift": "morning", "samples": "-1",
                                                       "staff_count": "4", "volunteer_count": "6"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "确保该值大于或等于0" in html or "大于或等于" in html
    assert SiteShift.objects.count() == 1
    later = client.post(f"/sampling/{site.pk}/shift/", {"date": future, "shift": "morning", "samples": "1",
                                                         "staff_count": "4", "volunteer_count": "6"})
    assert later.status_code == 400 and "日期不能晚于今天" in later.content.decode()


def test_site_form_with_weekly_hours(world, sites, login):
    client = login(world.users["cadre"])
    form = {"code": "LQ7", "name": "林泉七号点", "address": "林泉路7号", "grid": world.grids["linquan1"].pk,
            "site_type": "routine", "capacity_per_hour": "120", "heat_measures": "冰袋",
            "hours_0": "07:00-11:00 13:00 - 20:00", "hours_4": "20:00-次日02:00", "hours_6": ""}
    response = client.post("/sampling/new/", form)
    assert response.status_code == 302
    site = SamplingSite.objects.get(code="LQ7")
    assert [(p.weekday, p.opens.hour, p.closes.hour) for p in site.periods()] == [(0, 7, 11), (0, 13, 20), (4, 20, 2)]
    edit = client.get(f"/sampling/{site.pk}/edit/").content.decode()
    assert 'value="07:00–11:00 13:00–20:00"' in edit
    bad = client.post(f"/sampling/{site.pk}/edit/", {**form, "version": site.version, "hours_2": "早上七点"})
    assert bad.status_code == 200 and "时间请写成 07:00-11:00 的形式" in bad.content.decode()
    outside = client.post("/sampling/new/", {**form, "code": "BH7", "name": "北虹七号点",
                                             "grid": world.grids["beihong1"].pk})
    assert outside.status_code == 200 and not SamplingSite.objects.filter(code="BH7").exists()


def test_status_form_needs_a_reason_to_pause(world, sites, login):
    site = sites["linquan1"]
    client = login(world.users["cadre"])
    response = client.post(f"/sampling/{site.pk}/status/", {"status": "paused", "reason": ""}, follow=True)
    assert "暂停或关闭采样点时请填写原因" in response.content.decode()
    site.refresh_from_db()
    assert site.status == "open"
    client.post(f"/sampling/{site.pk}/status/", {"status": "paused", "reason": "高温红色预警"})
    site.refresh_from_db()
    assert (site.status, site.status_reason) == ("paused", "高温红色预警")


def test_detail_lists_the_latest_shifts_morning_first(world, sites, login):
    site = sites["linquan1"]
    _shift(world, site, datetime.date(2022, 7, 14), "evening", 30)
    _shift(world, site, datetime.date(2022, 7, 14), "morning", 10)
    _shift(world, site, datetime.date(2022, 7, 13), "afternoon", 20)
    response = login(world.users["leader"]).get(f"/sampling/{site.pk}/")
    assert [(r.date.day, r.shift) for r in response.context["shifts"]] == [
        (14, "morning"), (14, "evening"), (13, "afternoon")]
    assert 'name="minutes"' not in response.content.decode()  # leaders see the queue but do not set it
