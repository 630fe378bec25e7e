"""Every page runs under the Content-Security-Policy without a single refusal: no inline scripts, no
foreign hosts (the page fixture fails the test on any CSP console message)."""

import pytest

from tests.inspections.helpers import campaign

from ..conftest import PASSWORD
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_run_under_the_policy(world, live_server, page):
    c = campaign(world)
    sign_in(page, live_server, "admin", PASSWORD)
    task = c.tasks.first()
    paths = ["/", "/inspections/", f"/inspections/campaigns/{c.pk}/", f"/inspections/tasks/{task.pk}/inspect/",
             "/inspections/risk/", "/inspections/checklists/", "/premises/map/?colour=risk", "/workorders/",
             "/economy/", "/sampling/", "/public/sampling/", "/ledgers/", "/api/v1/docs"]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        policy = response.header_value("content-security-policy")
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        page.wait_for_load_state("networkidle")
    assert not page.csp_violations
    # The policy bites: an injected inline script does not run, and the refusal is seen.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
                  " document.body.append(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert page.csp_violations
    page.csp_violations.clear()
