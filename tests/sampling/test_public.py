"""The public page and endpoint: no login, nothing personal, the waiting-time rule, the rate limit."""

import datetime

import pytest
from django.utils import timezone

from wangge.core.models import User
from wangge.sampling import services
from wangge.sampling.hours import Period
from wangge.sampling.models import SamplingSite
from wangge.sampling.public import PUBLIC_KEYS, public_sites

URL = "/api/v1/public/sampling-sites"
PAGE = "/public/sampling/"


def _personal_strings(world) -> set[str]:
    strings = set()
    for user in User.objects.all():
        strings |= {user.username, user.full_name}
    return {s for s in strings if s}


def test_endpoint_works_without_login_and_has_exactly_the_public_keys(client, world, sites):
    services.set_wait(world.users["sampler"], sites["linquan1"], 20)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 4 and len(body["items"]) == 4
    for item in body["items"]:
        assert set(item) == PUBLIC_KEYS
        assert {"wait_set_by", "wait_set_by_id", "heat_measures", "capacity_per_hour", "version"}.isdisjoint(item)
        for day in item["hours_week"]:
            assert set(day) == {"weekday", "label", "text"}
    text = response.content.decode()
    for personal in _personal_strings(world):
        assert f'"{personal}"' not in text, personal


def test_page_works_without_login_in_chinese_and_names_no_one(client, world, sites):
    services.set_wait(world.users["sampler"], sites["linquan1"], 20)
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and "核酸采样点" in html
    for site in sites.values():
        assert site.name in html
    for personal in _personal_strings(world):
        assert f">{personal}<" not in html and f" {personal} " not in html, personal
    assert "sampler" not in html and "<script>" not in html and "echarts" not in html


def test_closed_sites_are_not_listed(client, world, sites):
    services.set_status(world.users["admin"], sites["beihong2"], "closed", "撤点")
    names = {i["name"] for i in client.get(URL).json()["items"]}
    assert sites["beihong2"].name not in names and sites["beihong1"].name in names


def _entry(site, now):
    return next(e for e in public_sites(now) if e["id"] == site.pk)


def test_open_now_first_and_paused_shown_with_its_reason(world, sites):
    now = timezone.make_aware(datetime.datetime(2022, 7, 15, 21, 0))  # Friday evening
    entries = public_sites(now)
    assert entries[0]["name"] == sites["linquan2"].name and entries[0]["open_now"]
    paused = _entry(sites["beihong1"], now)
    assert paused["status"] == "paused" and paused["status_reason"] == "高温暂停" and not paused["open_now"]
    night = _entry(sites["linquan2"], now + datetime.timedelta(hours=4))  # Saturday 01:00
    assert night["open_now"] and night["closes_at"].startswith("2022-07-16T02:00")
    assert night["hours_today"] == "20:00–次日02:00"


def test_a_waiting_time_older_than_two_hours_is_unknown(world, sites):
    site = sites["linquan1"]
    set_at = timezone.make_aware(datetime.datetime(2022, 7, 15, 9, 0))
    services.set_wait(world.users["sampler"], site, 45, now=set_at)
    fresh = _entry(site, set_at + datetime.timedelta(minutes=119))
    assert fresh["wait_minutes"] == 45 and not fresh["wait_stale"]
    assert fresh["wait_set_at"].startswith("2022-07-15T09:00")
    stale = _entry(site, set_at + datetime.timedelta(minutes=121))  # 11:01: also closed for lunch
    assert stale["wait_minutes"] is None and stale["wait_set_at"] is None and stale["wait_stale"]
    closed = _entry(site, set_at + datetime.timedelta(hours=3, minutes=30))  # 12:30, within no window
    assert closed["wait_minutes"] is None


def test_waiting_time_shown_on_the_page_with_its_age(client, world, sites):
    site = sites["linquan1"]
    midnight = datetime.time(0)
    services.set_hours(world.users["cadre"], site, [Period(day, midnight, midnight) for day in range(7)])
    services.set_wait(world.users["sampler"], site, 60, now=timezone.now() - datetime.timedelta(minutes=5))
    html = client.get(PAGE).content.decode()
    assert "等候 60 分钟以上" in html and "5 分钟前更新" in html
    assert "正在开放" in html and "开放至" in html


def test_rate_limit_per_client_ip(client, world, sites, settings):
    settings.SAMPLING_PUBLIC_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get(URL, REMOTE_ADDR="10.0.0.1").status_code == 200
    limited = client.get(URL, REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429
    assert set(limited.json()) == {"detail"} and int(limited["Retry-After"]) > 0
    assert client.get(PAGE, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(URL, REMOTE_ADDR="10.0.0.2").status_code == 200  # another client is not affected


def test_rate_limit_behind_a_proxy_reads_the_configured_header(client, world, sites, settings):
    settings.SAMPLING_PUBLIC_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.get(URL, HTTP_X_REAL_IP="1.1.1.1").status_code == 200
    assert client.get(URL, HTTP_X_REAL_IP="1.1.1.1").status_code == 429
    assert client.get(URL, HTTP_X_REAL_IP="2.2.2.2").status_code == 200
    # From anyone but the proxy the header is not believed: the client cannot choose its address.
    assert client.get(URL, HTTP_X_REAL_IP="3.3.3.3", REMOTE_ADDR="10.9.9.9").status_code == 200
    assert client.get(URL, HTTP_X_REAL_IP="4.4.4.4", REMOTE_ADDR="10.9.9.9").status_code == 429


def test_public_list_reads_a_fixed_number_of_queries(client, world, sites, django_assert_max_num_queries):
    for n in range(10):
        SamplingSite.objects.create(code=f"X{n}", name=f"采样点{n}", address="某路", grid=world.grids["beihong2"])
    with django_assert_max_num_queries(3):
        assert client.get(URL).json()["count"] == 14


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_endpoint_is_read_only(client, sites, method):
    assert getattr(client, method)(URL).status_code == 405
