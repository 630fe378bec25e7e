"""Abuse control without SMS: a wrong or reused captcha, too many reports from one address or phone, a
file that is not a photo, a place that is nowhere — each refused in Chinese, and nothing is written."""

import io

from django.apps import apps
from django.urls import reverse

from wangge.core.models import AuditEntry

from .conftest import captcha_of, send_report


def snapshot() -> dict:
    counts = {m._meta.label: m._base_manager.count() for m in apps.get_models() if m.__module__.startswith("wangge")}
    counts["audit"] = AuditEntry.objects.count()
    return counts


def test_a_wrong_captcha_changes_nothing(routed, client):
    before = snapshot()
    response = send_report(client, answer="999", phone="13900001111")
    assert response.status_code == 422 and "算式结果不对" in response.content.decode()
    assert snapshot() == before


def test_a_captcha_is_used_once(routed, client):
    page = client.get(reverse("reports_public:new"))
    token, answer = captcha_of(page)
    data = {"category": "sanitation", "description": "垃圾桶满溢没人清运", "address": "仙霞西路5号",
            "captcha_token": token, "captcha_answer": answer}
    assert client.post(reverse("reports_public:new"), data).status_code == 200
    before = snapshot()
    assert client.post(reverse("reports_public:new"), data).status_code == 422
    assert client.post(reverse("reports_public:new"), {**data, "captcha_token": token + "x"}).status_code == 422
    assert snapshot() == before


def test_too_many_from_one_address(routed, client, settings):
    settings.PUBLIC_REPORT_PER_IP_HOUR = 2
    assert send_report(client).status_code == 200
    assert send_report(client, address="哈密路10号").status_code == 200
    before = snapshot()
    refused = send_report(client, address="哈密路20号", category="noise")
    assert refused.status_code == 429 and "请求过于频繁" in refused.content.decode()
    assert snapshot() == before


def test_too_many_with_one_phone(routed, client, settings):
    settings.PUBLIC_REPORT_PER_PHONE_DAY = 1
    assert send_report(client, phone="13900001111").status_code == 200
    before = snapshot()
    assert send_report(client, phone="139 0000 1111", address="哈密路10号").status_code == 429
    assert snapshot() == before
    assert send_report(client, phone="13900002222", address="哈密路10号").status_code == 200


def test_bad_input_is_refused_field_by_field(routed, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = snapshot()
    fake = io.BytesIO(b"<?php echo 1; ?>" * 10)
    fake.name = "现场.jpg"
    response = send_report(client, photo=fake, phone="12345", address="不存在的路1号", description="脏")
    page = response.content.decode()
    assert response.status_code == 422
    for field in ("photo", "phone", "address", "description"):
        assert f'data-field="{field}"' in page, field
    assert snapshot() == before
    assert list(tmp_path.rglob("*.*")) == []  # no file stored either


def test_wrong_digits_lock_the_number_for_the_hour(routed, client, settings):
    settings.PUBLIC_REPORT_WRONG_DIGITS_PER_HOUR = 3
    send_report(client, phone="13900001111")
    from wangge.reports.models import PublicReport

    number = PublicReport.objects.get().tracking_number
    url = reverse("reports_public:status")
    assert client.post(url, {"tracking_number": number, "digits": "1112"}).status_code == 404
    assert client.post(url, {"tracking_number": "SP000000AAAAAA", "digits": "1111"}).status_code == 404
    assert client.post(url, {"tracking_number": number.lower(), "digits": "1111"}).status_code == 200
    for _n in range(2):
        client.post(url, {"tracking_number": number, "digits": "0000"})
    assert client.post(url, {"tracking_number": number, "digits": "1111"}).status_code == 429


def test_page_views_are_limited_too(client, settings):
    settings.PUBLIC_REPORT_LOOKUPS_PER_MINUTE = 2
    for _n in range(2):
        assert client.get(reverse("reports_public:status")).status_code == 200
    assert client.get(reverse("reports_public:new")).status_code == 429  # one count for both pages
