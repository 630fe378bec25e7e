"""The town dashboard: the campaign's figures are the summary's, every linked figure lands on a list of
the same count (for each role's visibility), the JSON twin equals the page, and bad input is refused."""


import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wangge.dashboard.figures import Period
from wangge.dashboard.rollup.refresh import refresh
from wangge.dashboard.sources import collect
from wangge.inspections.summary import campaign_summary

from .helpers import run_campaign, with_coordinates

pytestmark = pytest.mark.django_db


def _data(client, query=""):
    response = client.get(f"/dashboard/data.json{query}")
    assert response.status_code == 200
    return {s["key"]: s for s in response.json()["sections"]}


def _figures(section):
    return {f["key"]: f for f in section["figures"]}


def _linked_counts_match(client, sections):
    """Every linked whole-number figure and table cell: the list behind it holds exactly that many rows."""
    checked = 0
    cells = [f for s in sections.values() for f in s["figures"]]
    cells += [c for s in sections.values() for t in s["tables"] for row in t["rows"] for c in row[1:]]
    for figure in cells:
        if not figure["url"] or figure["unit"] == "%":
            continue
        response = client.get(figure["url"])
        assert response.status_code == 200, figure
        page = response.context.get("page") if response.context else None
        if page is None:  # the risk page lists the riskiest, not a count
            continue
        assert page.paginator.count == figure["value"], figure
        checked += 1
    return checked


def test_campaign_figures_are_the_summarys_and_every_link_lands_on_the_same_count(world, login):
    c = run_campaign(world)
    client = login(world.users["leader"])
    sections = _data(client)
    figures = _figures(sections["inspections"])
    summary = campaign_summary(c, world.users["leader"])
    for key in ("in_scope", "inspected", "not_yet", "rectification_orders", "shutdowns", "fixed_on_the_spot"):
        assert figures[key]["value"] == summary[key], key
    assert (figures["in_scope"]["value"], figures["inspected"]["value"], figures["rectification_orders"]["value"],
            figures["shutdowns"]["value"]) == (4, 3, 1, 1)
    assert _figures(sections["workorders"])["open"]["value"] == 1
    assert _figures(sections["places"])["shut"]["value"] == 1
    assert _linked_counts_match(client, sections) >= 15


# The grid worker also sees the road segment they are chief of; the officer is in the campaign's teams.
@pytest.mark.parametrize("username,in_scope", [("admin", 4), ("leader", 4), ("cadre", 2), ("gridworker", 2),
                                                ("inspector", 4), ("officer", 4)])
def test_each_role_sees_its_own_figures_and_lists(world, login, username, in_scope):
    run_campaign(world)
    client = login(world.users[username])
    sections = _data(client)
    assert _figures(sections["inspections"])["in_scope"]["value"] == in_scope
    _linked_counts_match(client, sections)


def test_roles_without_a_module_get_no_section_of_it(world, login):
    run_campaign(world)
    doctor = _data(login(world.users["doctor"]))
    assert "inspections" not in doctor and "places" not in doctor and "residents" in doctor
    assert _data(login(world.users["nobody"])) == {}


def test_page_shows_the_same_figures_as_the_json(world, login):
    run_campaign(world)
    client = login(world.users["leader"])
    page = client.get("/").content.decode()
    for key, section in _data(client).items():
        for figure in section["figures"]:
            assert f'data-testid="figure-{key}-{figure["key"]}"' in page
            if figure["url"]:
                assert f'href="{figure["url"]}"'.replace("&", "&amp;") in page


def test_providers_are_the_json_for_the_same_period(world, login):
    run_campaign(world)
    client = login(world.users["cadre"])
    today = timezone.localdate(world.town.created_at)
    from_json = _data(client, f"?from={today}&to={today}")
    direct = {s.key: s.as_dict() for s in collect(world.users["cadre"], Period(today, today))}
    assert from_json == direct
    notable = from_json["inspections"]["notable"]
    assert [n["text"].split(" ", 1)[1] for n in notable] == ["林泉宾馆: 责令整改"]


def test_bad_period_gets_a_clear_answer_and_no_500(world, login):
    client = login(world.users["leader"])
    response = client.get("/dashboard/data.json?from=2022-13-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from" and "2022-07-15" in response.json()["detail"]
    response = client.get("/dashboard/data.json?from=2022-07-15&to=2022-07-01")
    assert response.status_code == 422 and "不能晚于" in response.json()["detail"]
    page = client.get("/?from=yesterday")
    assert page.status_code == 200 and "不是" in page.content.decode()


def test_anonymous_users_are_sent_to_sign_in(client):
    for url in ("/", "/dashboard/data.json", "/dashboard/map.json", "/dashboard/screen/", "/dashboard/briefs/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def _queries(client, url) -> int:
    cache.clear()  # the big screen's shared answer: count the work, not the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_per_dashboard_request_do_not_grow_with_the_data(world, login, django_assert_max_num_queries):
    from wangge.places.models import Premises

    run_campaign(world)
    with_coordinates(world)
    client = login(world.users["leader"])
    client.get("/dashboard/screen.json")  # warm the per-process caches (content types), not data-dependent
    small = {url: _queries(client, url) for url in ("/dashboard/data.json", "/dashboard/map.json?measure=coverage",
                                                     "/dashboard/map.json?measure=open_findings",
                                                     "/dashboard/map.json?measure=high_risk", "/",
                                                     "/dashboard/screen.json")}
    template = world.premises["linquan1"]
    Premises.objects.bulk_create([Premises(name=f"新店{n}", category=template.category, address=f"仙霞西路{n}号",
                                           grid=world.grids[("linquan1", "beihong1")[n % 2]]) for n in range(40)])
    run_campaign(world)  # a second round over 44 premises, with its findings
    refresh()  # what the worker does every minute (a request would recompute the changed grids itself)
    for url, count in small.items():
        assert _queries(client, url) == count, url
    with django_assert_max_num_queries(50):
        client.get("/dashboard/data.json")
    cache.clear()
    with django_assert_max_num_queries(60):  # the sections, four trend lines, two rankings, two alert lists
        client.get("/dashboard/screen.json")
