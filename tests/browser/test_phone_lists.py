"""Every list a grid worker, inspector, cadre or doctor uses fits a 375 px phone (#22.5, #22.10).

Each role signs in, the pages come from the navigation the app renders for them plus the lists and
detail pages reached from it, over one row of every kind (the access tests' `estate`) and a few long
titles. At 375 px nothing scrolls sideways and no cell with text is squeezed under 60 px (titles wrapped
one character per line); at 1366 px the tables keep their header row. The big screen fits 1920x1080.
"""

import datetime
import pathlib

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.core.roles import Perm
from wangge.workorders import services as workorders
from wangge.workorders.choices import Kind

from ..access.conftest import estate  # noqa: F401  (one row of every kind)
from ..community.conftest import hood  # noqa: F401
from ..conftest import PASSWORD
from ..sampling.conftest import _fresh_rate_limit, sites  # noqa: F401
from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DOCS_IMG = pathlib.Path(__file__).resolve().parents[2] / "docs" / "img"
ROLES = ["gridworker", "inspector", "cadre", "doctor"]
LONG_TITLE = "林泉小区南门外人行道共享单车乱停放堵塞盲道需清理并划定停放区域"

# Lists and detail pages reached from the navigation: (url name, row kind for its pk or None, permission).
REACHED = [
    ("workorders:order_detail", "order", Perm.VIEW_WORKORDERS),
    ("workorders:order_board", None, Perm.VIEW_WORKORDERS),
    ("workorders:order_figures", None, Perm.VIEW_WORKORDERS),
    ("workorders:visit_detail", "field_visit", Perm.VIEW_FIELD_VISITS),
    ("inspections:inspection_list", None, Perm.VIEW_INSPECTIONS),
    ("inspections:inspection_detail", "inspection", Perm.VIEW_INSPECTIONS),
    ("inspections:campaign_detail", "campaign", Perm.VIEW_INSPECTIONS),
    ("inspections:task_list", "campaign", Perm.VIEW_INSPECTIONS),
    ("inspections:checklist_list", None, Perm.VIEW_INSPECTIONS),
    ("inspections:risk", None, Perm.VIEW_INSPECTIONS),
    ("places:premises_detail", "premises", Perm.VIEW_PREMISES),
    ("community:resident_detail", "resident", Perm.VIEW_RESIDENTS),
    ("community:compound_list", None, Perm.VIEW_RESIDENTS),
    ("community:compound_detail", "compound", Perm.VIEW_RESIDENTS),
    ("community:round_list", None, Perm.VIEW_RESIDENTS),
    ("community:round_detail", "round", Perm.VIEW_RESIDENTS),
    ("community:care_visit_list", None, Perm.VIEW_RESIDENTS),
    ("community:supply_overview", None, Perm.VIEW_RESIDENTS),
    ("community:site_detail", "supply_site", Perm.VIEW_RESIDENTS),
    ("economy:enterprise_list", None, Perm.VIEW_ENTERPRISES),
    ("economy:enterprise_detail", "enterprise", Perm.VIEW_ENTERPRISES),
    ("economy:visit_list", None, Perm.VIEW_ENTERPRISES),
    ("economy:visit_detail", "enterprise_visit", Perm.VIEW_ENTERPRISES),
    ("economy:park_list", None, Perm.VIEW_ENTERPRISES),
    ("economy:park_detail", "park", Perm.VIEW_ENTERPRISES),
    ("economy:not_visited", None, Perm.VIEW_ENTERPRISES),
    ("sampling:site_detail", "sampling_site", Perm.VIEW_SAMPLING),
    ("vaccination:register", None, Perm.VIEW_VACCINATION),
    ("vaccination:worklist", None, Perm.VIEW_VACCINATION),
    ("vaccination:point_list", None, Perm.VIEW_VACCINATION),
    ("vaccination:point_day", "point", Perm.VIEW_VACCINATION),
    ("vaccination:follow_up_list", None, Perm.VIEW_VACCINATION),
    ("vaccination:person_detail", "resident", Perm.VIEW_VACCINATION),
]

# Where a page is wider than the phone, and which cells are squeezed under 60 px with their text broken over
# lines (the one-character-per-line titles).
MEASURE = """() => {
    const squeezed = [];
    for (const cell of document.querySelectorAll('main td, main th')) {
        const text = cell.innerText.trim();
        const box = cell.getBoundingClientRect();
        if (text.length < 2 || box.width === 0 || box.width >= 60) continue;
        // Narrow is fine for a short word on one line; text broken over lines in a narrow cell is not.
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) squeezed.push(text.slice(0, 16) + ' (' + Math.round(box.width) + ' px)');
    }
    const wide = [...document.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((el) => !el.closest('.table-responsive, .overflow-auto, [hidden]'))
        .slice(0, 3).map((el) => el.tagName + '.' + el.className);
    // A table that scrolls sideways inside its box is a horizontal scroll too.
    const scrolling = [...document.querySelectorAll('main .table-responsive, main .overflow-auto')]
        .filter((box) => box.scrollWidth > box.clientWidth + 1)
        .map((box) => (box.querySelector('table') || box).className);
    return {width: document.documentElement.scrollWidth, squeezed: squeezed.slice(0, 5), wide, scrolling};
}"""

# Every table with a header row shows it on a desktop.
HEADERS_HIDDEN = """() => [...document.querySelectorAll('main table')]
    .filter((t) => t.getBoundingClientRect().width > 0)
    .filter((t) => t.tHead && t.tHead.getBoundingClientRect().height === 0).map((t) => t.className)"""


def _more_rows(estate):  # noqa: F811
    """Long titles in the lists a grid worker opens first."""
    world = estate.world
    today = timezone.localdate()
    for i, grid in enumerate(("linquan1", "linquan1", "linquan2")):
        workorders.raise_order(world.users["admin"], kind=Kind.OTHER, title=f"{LONG_TITLE}{i}", grid=world.grids[grid],
                               assignee=world.users["gridworker"], deadline=today + datetime.timedelta(days=i - 1),
                               description="现场拍照后通知物业" * 5)


def _pages(user, rows, nav_urls):
    """(url, must open): the navigation's and the lists' pages open; a detail page may be out of scope."""
    urls = {url: True for url in nav_urls}
    for name, kind, perm in REACHED:
        if user.can(perm):
            urls.setdefault(reverse(name, args=[rows[kind].pk] if kind else []), kind is None)
    return urls


def test_every_list_of_the_field_roles_fits_a_phone_and_keeps_its_header_on_a_desktop(estate, live_server,  # noqa: F811
                                                                                        browser):
    _more_rows(estate)
    problems = []
    visited = {}
    for username in ROLES:
        user = estate.world.users[username]
        desktop = browser.new_context(viewport={"width": 1366, "height": 900})
        page = desktop.new_page()
        sign_in(page, live_server, username, PASSWORD)
        nav = page.eval_on_selector_all("#main-nav a.nav-link", "links => links.map((a) => a.getAttribute('href'))")
        pages = []
        for path, must_open in _pages(user, estate.rows, nav).items():
            response = page.goto(live_server.url + path)
            if response.status in (403, 404) and not must_open:
                continue
            assert response.status == 200, (username, path, response.status)
            pages.append(path)
            hidden = page.evaluate(HEADERS_HIDDEN)
            if hidden:
                problems.append(f"{username} 1366 {path}: table header hidden {hidden}")
        visited[username] = pages
        desktop.close()
        phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
        page = phone.new_page()
        sign_in(page, live_server, username, PASSWORD)
        for path in pages:
            page.goto(live_server.url + path)
            found = page.evaluate(MEASURE)
            if found["width"] > 375:
                problems.append(f"{username} 375 {path}: {found['width']} px wide {found['wide']}")
            if found["scrolling"]:
                problems.append(f"{username} 375 {path}: scrolls sideways inside {found['scrolling']}")
            if found["squeezed"]:
                problems.append(f"{username} 375 {path}: squeezed cells {found['squeezed']}")
            if username == "gridworker" and path == reverse("workorders:order_list"):
                DOCS_IMG.mkdir(exist_ok=True)
                page.screenshot(path=str(DOCS_IMG / "phone-workorders-375.png"), full_page=True)
        phone.close()
    # The navigation was really followed: each role's own lists are among the pages checked.
    assert reverse("workorders:order_list") in visited["gridworker"]
    assert reverse("inspections:my_tasks") in visited["inspector"]
    assert reverse("community:resident_list") in visited["cadre"]
    assert reverse("vaccination:worklist") in visited["doctor"]
    assert not problems, "\n".join(problems)


def test_work_order_list_is_cards_on_a_phone_with_titles_on_whole_lines(estate, live_server, browser):  # noqa: F811
    _more_rows(estate)
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, "gridworker", PASSWORD)
    page.goto(live_server.url + reverse("workorders:order_list"))
    assert page.locator("main table thead").first.is_hidden()
    title = page.locator("main td", has_text=LONG_TITLE).first
    box = title.bounding_box()
    # The title runs across the card (a line holds well over ten characters), its label beside it.
    assert box["width"] > 300
    line = float(page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight)", title.element_handle()))
    assert box["height"] < 4 * line
    assert page.evaluate("(el) => getComputedStyle(el, '::before').content", title.element_handle()) == '"标题"'
    context.close()


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1366, 768)])
def test_big_screen_fits_1920_by_1080(estate, live_server, browser, tmp_path, width, height):  # noqa: F811
    """Built for the wall (1920×1080), and a leader's laptop (1366×768) shows it whole too."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server, "admin", PASSWORD)
    page.goto(live_server.url + reverse("dashboard:screen"))
    page.wait_for_selector("#screen-rank-grids tbody tr")
    boxes = page.eval_on_selector_all(".screen-panel, .screen-col, .screen-head, .screen-panel table",
                                      "els => els.map((e) => [e.id || e.className, e.getBoundingClientRect().right,"
                                      " e.getBoundingClientRect().bottom])")
    assert len(boxes) > 8
    outside = [b for b in boxes if b[1] > width or b[2] > height]
    assert not outside, outside
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every panel keeps its title, and no figure runs out of its box.
    assert all(h > 0 for h in page.eval_on_selector_all(".screen-panel h2", "els => els.map((e) => e.clientHeight)"))
    assert not page.eval_on_selector_all(".screen-figure .value", "els => els.filter((e) => e.scrollWidth > "
                                         "e.closest('.screen-figure').clientWidth).map((e) => e.textContent)")
    # Alerts that fit are shown once (the copy that lets a long list wrap round is only for scrolling).
    alerts = page.locator("#screen-alerts li").all_inner_texts()
    assert alerts and len(alerts) == len(set(alerts)), alerts
    # docs/img/big-screen.png shows the demo town (more to see than this test's one row of each kind).
    page.screenshot(path=str(tmp_path / "big-screen.png"))
    context.close()
