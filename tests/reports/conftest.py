"""A town whose categories are routed, and a helper that sends the public report page as a phone would."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from wangge.reports import captcha
from wangge.reports.models import ReportRoute

TOKEN = re.compile(r'name="captcha_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate limits and spent captchas
    yield
    cache.clear()


@pytest.fixture
def routed(world):
    """Sanitation to the market office (the town's departments exist only now: the seed left routes empty)."""
    ReportRoute.objects.update_or_create(town=world.town, category="sanitation",
                                         defaults={"department": world.departments["market"]})
    return world


def captcha_of(response) -> tuple[str, str]:
    token = TOKEN.search(response.content.decode())[1]
    return token, str(captcha.answer_of(token))


def send_report(client, answer=None, **fields):
    """GET the page, solve its captcha (unless `answer` is given), POST the report."""
    page = client.get(reverse("reports_public:new"))
    token, right = captcha_of(page)
    data = {"category": "sanitation", "description": "垃圾桶满溢两天没人清运", "address": "仙霞西路5号",
            "phone": "", "latitude": "", "longitude": "", "captcha_token": token,
            "captcha_answer": right if answer is None else answer, **fields}
    return client.post(reverse("reports_public:new"), data)


def sql(query: str, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def count(query: str, *params) -> int:
    return sql(query, *params)[0][0]
