"""The public verification page a paper's QR code opens: no account, an unguessable signed link, the
number, unit, date, kind and status — and nothing about any person."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from wangge.papers import services, verify
from wangge.papers.models import Paper

from .conftest import signature_upload


@pytest.fixture
def signed(world, inspections):
    _c, first, _second = inspections
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    return services.sign(world.users["inspector"], paper, signature_upload())


def test_the_qr_link_on_the_paper_opens_the_verification_page_without_an_account(world, signed, login):
    page = login(world.users["inspector"]).get(reverse("papers:paper_detail", args=[signed.pk])).content.decode()
    link = re.search(r'value="([^"]+)" aria-label="核验链接" data-testid="verify-link"', page).group(1)
    assert link == f"http://testserver{verify.path(signed)}"
    response = Client().get(link)
    assert response.status_code == 200
    text = response.content.decode()
    assert signed.number in text and "长宁区市场监督管理局新泾市场监督管理所" in text and "责令改正通知书" in text
    assert "真实有效" in text and signed.issued_on.strftime("%Y-%m-%d") in text


def test_the_page_shows_nothing_personal(world, signed):
    signed.premises.contact_name = "王老板"
    signed.premises.save()
    text = Client().get(verify.path(signed)).content.decode()
    private = ["inspector", "officer", "王老板", "13911110000", "1391", "老王面馆", "仙霞西路", "消杀", "检查人员"]
    assert [word for word in private if word in text] == []
    refused = services.refuse(world.users["inspector"], services.make_paper(
        world.users["inspector"], signed.inspection, "record"), "见证人赵六")
    assert "赵六" not in Client().get(verify.path(refused)).content.decode()


def test_a_void_paper_says_it_is_void(world, signed):
    services.void(world.users["inspector"], signed, "送达对象有误")
    text = Client().get(verify.path(signed)).content.decode()
    assert "已作废" in text and "送达对象有误" not in text


def test_links_cannot_be_guessed_or_forged(world, signed):
    assert verify.token(signed).split(":")[0] == signed.public_key != str(signed.pk)  # random, not the id
    for token in [str(signed.pk), signed.public_key, verify.token(signed)[:-2] + "xx", f"{signed.pk}:abc"]:
        response = Client().get(reverse("papers_public:verify", args=[token]))
        assert response.status_code == 404 and signed.number not in response.content.decode()
    assert len({p.public_key for p in Paper.objects.all()}) == Paper.objects.count()


def test_the_page_is_rate_limited(world, signed, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PAPERS_VERIFY_RATE_LIMIT = 2
    client = Client()
    assert [client.get(verify.path(signed)).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()
