"""#20.10 at phone size: a leader opens 存疑提交, reads why a submission is in doubt, and voids it with a
reason; the campaign's figures no longer count it."""

import uuid
from decimal import Decimal

import pytest

from tests.inspections.helpers import COMPLIANT, campaign
from wangge.inspections import services
from wangge.inspections.models import Inspection, Task
from wangge.inspections.summary import campaign_summary

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def test_leader_voids_a_beijing_submission_at_phone_size(world, live_server, browser):
    c = campaign(world, days=1)
    premises = world.premises["linquan1"]
    premises.latitude, premises.longitude = Decimal("31.217"), Decimal("121.386")
    premises.save()
    task = Task.objects.get(campaign=c, premises=premises, reason="scope")
    inspection, _new = services.submit_inspection(
        world.users["inspector"], client_id=uuid.uuid4(), task=task, answers=dict(COMPLIANT), outcome="compliant",
        inspectors=[world.users["officer"]], latitude=Decimal("39.9"), longitude=Decimal("116.4"))
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "leader", PASSWORD)
    page.goto(f"{live_server.url}/inspections/flagged/")
    assert page.locator("h1").inner_text() == "存疑提交"
    flags = page.get_by_test_id("flags").inner_text()
    assert "定位距场所" in flags and "公里" in flags and "待核实" in flags
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("input[name=reason]", "定位在北京，当天未到现场")
    with page.expect_navigation():
        page.get_by_role("button", name="作废（不计入）").click()
    assert "已作废" in page.content()
    assert Inspection.objects.get(pk=inspection.pk).flag_review == "voided"
    assert campaign_summary(c, world.users["admin"])["inspected"] == 0
    context.close()
