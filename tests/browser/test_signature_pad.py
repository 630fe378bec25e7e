"""The party signs on the inspector's phone (375 px, touch): the pad fills the width, a finger's strokes
are drawn and sent as a PNG, the paper is issued with the signature, and the page has no sideways
scroll. Under the strict CSP (no inline script)."""

import pytest
from PIL import Image

from wangge.papers import services
from wangge.papers.models import Paper

from ..conftest import PASSWORD
from ..papers.conftest import inspections, media  # noqa: F401  (fixtures)
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}


def test_the_party_signs_on_the_pad_at_375_px(world, inspections, live_server, browser):  # noqa: F811
    _c, first, _second = inspections
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    sign_in(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/papers/{paper.pk}/")
    assert paper.number in page.get_by_test_id("paper-number").inner_text()
    page.get_by_test_id("sign-link").click()
    pad = page.get_by_test_id("signature-pad")
    pad.wait_for(state="visible")
    box = pad.bounding_box()
    assert box["width"] >= 300 and box["height"] >= 120
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not page.locator("input[type=file][name=signature]").is_visible()  # the fallback hides
    # A stroke with pointer events (a mouse drives the same handlers as a finger).
    page.mouse.move(box["x"] + 30, box["y"] + 80)
    page.mouse.down()
    for step in range(1, 30):
        page.mouse.move(box["x"] + 30 + step * 9, box["y"] + 80 + (25 if step % 2 else -25), steps=2)
    page.mouse.up()
    with page.expect_navigation():
        page.get_by_test_id("signature-submit").click()
    assert page.get_by_test_id("paper-status").inner_text() == "已送达"
    assert page.locator("img.paper-signature").is_visible()
    paper = Paper.objects.get(pk=paper.pk)
    assert paper.status == "issued" and paper.signature
    with paper.signature.open("rb") as handle:
        ink = Image.open(handle).convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255]
    assert ink > 100  # the strokes arrived
    assert violations == []
    context.close()


def test_an_empty_pad_is_refused_in_chinese(world, inspections, live_server, browser):  # noqa: F811
    _c, first, _second = inspections
    paper = services.make_paper(world.users["inspector"], first, "record")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, "inspector", PASSWORD)
    page.goto(f"{live_server.url}/papers/{paper.pk}/sign/")
    page.get_by_test_id("signature-submit").click()
    assert "尚未签名" in page.get_by_test_id("signature-error").inner_text()
    assert Paper.objects.get(pk=paper.pk).status == "awaiting"
    context.close()
