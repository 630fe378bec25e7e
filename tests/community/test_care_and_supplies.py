"""Care visits (needs become resident-need work orders; not visited in N days) and supplies (stock,
receipts, issues, distributions with special groups first, low-stock warnings, the ledger)."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from wangge.community.choices import MovementKind
from wangge.community.models import CareVisit, Resident, Stock, SupplyItem, SupplyMovement
from wangge.community.services import care, supplies
from wangge.workorders.choices import Kind
from wangge.workorders.models import WorkOrder

from .conftest import TODAY


def test_needs_become_resident_need_orders(hood):
    alone = hood.people["alone"]
    visit, created = care.record_care_visit(
        hood.users["gridworker"], alone, visited_on=TODAY, visitors="网格员小李", condition="fair",
        needs={"daily_life": "代买米面", "medical": "配降压药", "supplies": ""}, today=TODAY)
    assert created
    orders = list(care.need_orders(visit).order_by("category"))
    assert [o.category for o in orders] == ["daily_life", "medical"]
    assert all(o.kind == Kind.RESIDENT_NEED and o.grid == alone.grid and o.subject_id == alone.pk for o in orders)
    assert orders[0].description == "代买米面"


def test_an_orders_category_reads_as_words(hood, login):
    """#20.19: the order a need opens shows its kind of need in Chinese, never the code `daily_life` (the
    page and the person's export); a category typed on a manual order reads as typed."""
    from django.utils import translation

    from wangge.community.choices import NeedKind
    from wangge.workorders.privacy import order_rows

    visit, _ = care.record_care_visit(hood.users["cadre"], hood.people["alone"], visited_on=TODAY, visitors="甲",
                                      condition="good", needs={"daily_life": "代买米面"}, today=TODAY)
    order = care.need_orders(visit).get()
    page = login(hood.users["cadre"]).get(f"/workorders/{order.pk}/").content.decode()
    page = page[:page.index('data-testid="timeline"')]  # the order's own details (the trail is #22's)
    with translation.override("zh-hans"):
        label = str(NeedKind.DAILY_LIFE.label)
        exported = str(order_rows(hood.people["alone"], hood.users["cadre"]))
    assert "daily_life" not in page and label in page and label != "daily life"
    assert "daily_life" not in exported and label in exported
    order.category = "路灯维修"
    assert order.category_label == "路灯维修"


def test_retry_with_the_same_client_id_makes_one_visit(hood):
    client_id = uuid.uuid4()
    args = {"visited_on": TODAY, "visitors": "甲", "condition": "good", "needs": {"supplies": "口罩"},
            "client_id": client_id, "today": TODAY}
    first, _ = care.record_care_visit(hood.users["cadre"], hood.people["alone"], **args)
    again, created = care.record_care_visit(hood.users["cadre"], hood.people["alone"], **args)
    assert again == first and not created and WorkOrder.objects.filter(kind=Kind.RESIDENT_NEED).count() == 1


def test_visit_is_refused_outside_scope_or_in_the_future(hood):
    with pytest.raises(ValidationError):
        care.record_care_visit(hood.users["gridworker"], hood.world.residents["linquan2"], visited_on=TODAY,
                               visitors="甲", condition="good", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        care.record_care_visit(hood.users["gridworker"], hood.people["alone"], visited_on=TODAY, visitors="甲",
                               condition="good", today=TODAY - datetime.timedelta(days=1))
    assert "visited_on" in caught.value.message_dict and not CareVisit.objects.exists()


def test_not_visited_in_n_days(hood):
    visible = Resident.objects.visible_to(hood.users["cadre"])
    # Special groups: the aged living alone (孙秀兰) and the bedridden (吴德福); the world's 张伟 is aged but not alone.
    assert {r.name for r in care.special_groups(visible, TODAY)} == {"孙秀兰", "吴德福"}
    care.record_care_visit(hood.users["cadre"], hood.people["alone"], visited_on=TODAY - datetime.timedelta(days=3),
                           visitors="甲", condition="good", today=TODAY)
    care.record_care_visit(hood.users["cadre"], hood.people["bedridden"],
                           visited_on=TODAY - datetime.timedelta(days=10), visitors="甲", condition="poor", today=TODAY)
    assert [r.name for r in care.not_visited(visible, 7, TODAY)] == ["吴德福"]
    assert [r.name for r in care.not_visited(visible, 2, TODAY)] == ["吴德福", "孙秀兰"]  # longest waiting first
    assert not care.not_visited(Resident.objects.visible_to(hood.users["gridworker"]), 30, TODAY).exists()


@pytest.fixture
def stocked(hood):
    cadre = hood.users["cadre"]
    rice = supplies.save_item(cadre, SupplyItem(name="大米", unit="袋"))
    site = supplies.open_site(cadre, compound=hood.compounds["linquan1"])
    supplies.receive(cadre, site, rice, 10, on=TODAY, counterparty="镇物资组")
    return site, Stock.objects.get(site=site, item=rice)


def test_stock_moves_and_never_goes_below_zero(hood, stocked):
    site, stock = stocked
    cadre = hood.users["cadre"]
    supplies.issue(cadre, stock, 3, on=TODAY, counterparty="泉口小区")
    with pytest.raises(ValidationError) as caught:
        supplies.issue(cadre, stock, 8, on=TODAY, counterparty="泉口小区")
    assert "7" in caught.value.message_dict["quantity"][0]
    stock.refresh_from_db()
    assert stock.quantity == Decimal(7) and [m.balance for m in SupplyMovement.objects.order_by("id")] == [10, 7]
    with pytest.raises(ValidationError):
        supplies.issue(cadre, stock, 0, counterparty="x")


def test_distribution_special_groups_first_and_low_stock(hood, stocked):
    site, stock = stocked
    cadre = hood.users["cadre"]
    order = [r.name for r in supplies.recipients(site, cadre, TODAY)]
    assert set(order[:2]) == {"孙秀兰", "吴德福"} and len(order) == 5
    supplies.distribute(cadre, stock, [hood.people["alone"], hood.people["bedridden"]], 2, on=TODAY)
    lines = SupplyMovement.objects.filter(kind=MovementKind.DISTRIBUTION)
    assert lines.count() == 2 and {m.household for m in lines} == {"1号-102", "2号-202"}
    stock.refresh_from_db()
    stale = stock.version - 1
    with pytest.raises(ValidationError):  # a stale edit is refused
        supplies.set_low_level(cadre, stock, 8, stale)
    supplies.set_low_level(cadre, stock, 8, stock.version)
    assert list(supplies.low_stock(Stock.objects.all())) == [stock]
    with pytest.raises(ValidationError):  # someone outside the grid worker's grid
        supplies.distribute(hood.users["gridworker"], stock, [hood.world.residents["linquan2"]], 1)


def test_supplies_ledger_export(hood, stocked, login):
    body = login(hood.users["cadre"]).get("/ledgers/supplies/export.xlsx").content
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "林泉小区" and rows[0][2] == "大米" and rows[0][4] == 10


def test_pages(hood, stocked, login):
    site, stock = stocked
    client = login(hood.users["cadre"])
    for url in ("/residents/compounds/", f"/residents/compounds/{hood.compounds['linquan1'].pk}/",
                "/residents/duplicates/", "/residents/rounds/", "/residents/rounds/new/", "/residents/care/",
                "/residents/care/?due=1&days=3", "/residents/care/visits/", "/residents/supplies/",
                f"/residents/supplies/sites/{site.pk}/", f"/residents/supplies/stock/{stock.pk}/distribute/",
                f"/residents/supplies/stock/{stock.pk}/issue/", "/residents/supplies/items/",
                f"/residents/{hood.people['alone'].pk}/care-visit/", "/residents/compounds/new/"):
        response = client.get(url)
        assert response.status_code == 200, url
    # A refused distribution shows a Chinese message and changes nothing.
    response = client.post(f"/residents/supplies/stock/{stock.pk}/distribute/", {
        "quantity": "20", "on": TODAY.isoformat(), "residents": [hood.people["alone"].pk]})
    assert "库存不足" in response.content.decode() and not SupplyMovement.objects.filter(kind="distribution").exists()
    response = client.post(f"/residents/{hood.people['alone'].pk}/care-visit/", {
        "visited_on": TODAY.isoformat(), "visitors": "居委干部", "condition": "fair", "supplies": "需要口罩",
        "client_id": str(uuid.uuid4())})
    visit = CareVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/residents/care/visits/{visit.pk}/"
    assert "需要口罩" in client.get(response["Location"]).content.decode()
