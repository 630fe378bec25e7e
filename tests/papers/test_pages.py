"""Papers on the premises, work order and inspection pages, in the list, and counted by kind in the
campaign summary (against a direct SQL count)."""

from django.db import connection
from django.urls import reverse

from wangge.inspections.summary import campaign_summary
from wangge.papers import services


def test_listed_on_premises_order_and_inspection_pages(world, inspections, login):
    c, first, second = inspections
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    client = login(world.users["inspector"])
    inspection_page = client.get(reverse("inspections:inspection_detail", args=[first.pk])).content.decode()
    assert paper.number in inspection_page and reverse("papers:paper_create", args=[first.pk]) in inspection_page
    premises_page = client.get(reverse("places:premises_detail", args=[first.premises_id])).content.decode()
    assert paper.number in premises_page
    order_page = client.get(reverse("workorders:order_detail", args=[first.work_order_id])).content.decode()
    assert paper.number in order_page
    other_order = client.get(reverse("workorders:order_detail", args=[second.work_order_id])).content.decode()
    assert paper.number not in other_order
    listing = client.get(reverse("papers:paper_list") + "?kind=rectification&status=awaiting").content.decode()
    assert paper.number in listing and "老王面馆" in listing
    detail = client.get(reverse("papers:paper_detail", args=[paper.pk])).content.decode()
    assert "责令改正通知书" in detail and 'data-testid="paper-qr"' in detail


def test_made_from_the_inspection_page(world, inspections, login):
    _c, first, _second = inspections
    client = login(world.users["inspector"])
    url = reverse("papers:paper_create", args=[first.pk])
    form = client.get(url).content.decode()
    assert "现场检查笔录" in form and "责令停业整顿决定书" in form
    response = client.post(url, {"kind": "suspension", "note": ""})
    assert response.status_code == 302
    refused = client.post(url, {"kind": "suspension"})
    assert refused.status_code == 422 and "作废" in refused.content.decode()


def test_campaign_summary_counts_papers_by_kind(world, inspections, login, api_summary=None):
    c, first, second = inspections
    inspector = world.users["inspector"]
    services.make_paper(inspector, first, "rectification")
    services.make_paper(inspector, first, "record")
    voided = services.make_paper(inspector, second, "rectification")
    services.correct(inspector, voided, "名称有误")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, COUNT(*) FROM papers_paper WHERE status <> 'void' GROUP BY kind")
        expected = dict(cursor.fetchall())
    figures = campaign_summary(c, world.users["admin"])["papers"]
    assert {k: v for k, v in figures.items() if v} == expected == {"rectification": 2, "record": 1}
    page = login(world.users["admin"]).get(reverse("inspections:campaign_detail", args=[c.pk])).content.decode()
    assert 'data-figure="papers-rectification">2<' in page
    api = login(world.users["admin"]).get(f"/api/v1/campaigns/{c.pk}/summary").json()
    assert api["papers"]["rectification"] == 2
