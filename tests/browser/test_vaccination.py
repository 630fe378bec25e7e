"""The vaccination pages in a real browser: Chinese, no CSP violation (no inline script), local assets
only, a phone-width worklist that does not scroll sideways."""

import datetime

from wangge.vaccination.models import VaccinationPoint
from wangge.vaccination.services import census, doses

from ..conftest import PASSWORD
from .conftest import sign_in


def test_vaccination_pages_as_the_family_doctor(world, live_server, browser, page):
    doctor = world.users["doctor"]
    doctor.areas.set([world.hoods["linquan"]])
    admin, person = world.users["admin"], world.residents["linquan1"]
    VaccinationPoint.objects.create(name="卫生服务中心接种点", grid=world.grids["linquan1"])
    doses.record_dose(admin, person, number=1, given_on=datetime.date(2021, 5, 1), vaccine_type="inactivated")
    census.record_answer(admin, person, reason="hesitant", willingness="willing")
    sign_in(page, live_server, "doctor", PASSWORD)
    for path, heading in (("/vaccination/", "老年人疫苗接种：接种率"), ("/vaccination/register/", "60岁以上名册"),
                          (f"/vaccination/people/{person.pk}/", person.name), ("/vaccination/points/", "接种点"),
                          ("/vaccination/follow-ups/", "待随访")):
        assert page.goto(live_server.url + path).status == 200, path
        assert page.locator("h1").inner_text().startswith(heading), path
    page.goto(live_server.url + "/vaccination/worklist/")
    assert page.locator("[data-testid=work]").count() == 3  # 张伟, 李娜, 赵强 signed; no unsigned 60+ in Linquan
    assert "疫苗接种" in page.locator("nav").first.inner_text()
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, live_server, "doctor", PASSWORD)
    phone.goto(live_server.url + "/vaccination/worklist/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.context.close()
    assert all(url.startswith(live_server.url) for url in page.requests_seen)
