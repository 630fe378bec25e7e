"""Issue #20.13: the enterprise's own satisfaction answer through a link (and QR code) that opens
without an account, for one closed demand, once, for 30 days; staff entry stays, marked as such."""

import io
import re
import time

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from wangge.economy import figures
from wangge.economy.services import demand_orders
from wangge.workorders import rating
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind, State, Verb
from wangge.workorders.models import Notification, WorkOrder, WorkOrderEvent

from .conftest import visit


def _demand(economy, category="permits", text="食品经营许可证延续", grid="linquan1"):
    v, _ = visit(economy, "gridworker", grid, [(category, text)])
    return demand_orders(v).get()


def _close(economy, order, satisfaction="satisfied"):
    admin, econ = economy.users["admin"], economy.users["econ"]
    orders.assign(admin, order, econ)
    orders.start(econ, order)
    orders.submit_for_verification(econ, order)
    return orders.verify_and_close(admin, order, satisfaction=satisfaction)


def _state(order):
    order.refresh_from_db()
    return (order.state, order.satisfaction, order.satisfaction_source, order.satisfaction_comment, order.version,
            WorkOrderEvent.objects.filter(order=order).count())


def _sql_count(query, params=()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def _english(html: str) -> set[str]:
    """The words a person reads that are not Chinese (the Chinese-pages test's own reading)."""
    from tests.access.test_chinese_pages import ALLOWED, LATIN, Text

    reader = Text()
    reader.feed(html)
    return {w for part in reader.parts for w in LATIN.findall(part)} - ALLOWED


def test_the_enterprise_rates_a_closed_demand_once_without_an_account(economy, login):
    order = _close(economy, _demand(economy))
    assert (order.satisfaction, order.satisfaction_source) == ("satisfied", "staff")
    # Staff find the link and its QR code on the order's page.
    page = login(economy.users["admin"]).get(f"/workorders/{order.pk}/").content.decode()
    assert 'data-testid="rating-link"' in page and "<svg" in page.split('data-testid="rating-link"')[1]
    assert "工作人员代录" in page.split('data-testid="satisfaction"')[1][:300]
    url = re.search(r'value="([^"]+)"[^>]*data-testid="rating-url"', page).group(1)
    path = url.removeprefix("http://testserver")

    anonymous = Client()
    shown = anonymous.get(path)
    html = shown.content.decode()
    assert shown.status_code == 200 and 'data-testid="rating-form"' in html
    assert "西郊金融信息公司" in html and "证照和审批" in html and "市场监督管理所" in html
    # Nothing personal and no staff names: not the contact, the phone, the assignee or the verifier.
    for private in ("王经理", "13911112222", "econ", "admin", "gridworker"):
        assert private not in html, private
    assert "诉求办理满意度评价" in html and _english(html) == set()

    done = anonymous.post(path, {"satisfaction": "dissatisfied", "comment": "许可证还没拿到"})
    assert done.status_code == 200 and 'data-testid="rating-done"' in done.content.decode()
    order.refresh_from_db()
    assert (order.state, order.satisfaction, order.satisfaction_source, order.satisfaction_comment) == (
        State.CLOSED, "dissatisfied", "requester", "许可证还没拿到")
    rated = WorkOrderEvent.objects.get(order=order, verb=Verb.RATE)
    assert rated.actor is None and rated.actor_name == "西郊金融信息公司" and "许可证还没拿到" in rated.comment
    # The demand's department officer (市场所) is told once; nobody else is told about the rating.
    told = Notification.objects.filter(order=order, key=f"order-event:{rated.pk}")
    assert [n.user for n in told] == [economy.users["officer"]] and "不满意" in told.get().message

    # The link is spent: a second answer is refused with a clear page and changes nothing.
    before = _state(order)
    again = anonymous.post(path, {"satisfaction": "satisfied"}).content.decode()
    assert "该评价链接已经使用过" in again and 'data-testid="rating-form"' not in again
    assert _state(order) == before
    page = login(economy.users["admin"]).get(f"/workorders/{order.pk}/").content.decode()
    assert "企业自评" in page.split('data-testid="satisfaction"')[1][:300]
    assert "企业评价" in page.split('data-testid="timeline"')[1]


def test_before_the_demand_is_closed_the_link_says_so_and_changes_nothing(economy):
    order = _demand(economy)
    path = f"/public/rating/{rating.make_token(order)}/"
    before = _state(order)
    for response in (Client().get(path), Client().post(path, {"satisfaction": "satisfied"})):
        html = response.content.decode()
        assert "该诉求仍在办理中，办结后才能评价" in html and 'data-testid="rating-form"' not in html
    assert _state(order) == before and order.satisfaction == ""


def test_wrong_expired_and_other_order_tokens_are_refused(economy, monkeypatch):
    order, other = _close(economy, _demand(economy)), _close(economy, _demand(economy, "financing", "贷款"))
    token = rating.make_token(order)
    # An expired link: made 31 days ago (the default validity is 30 days).
    real = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real() - 31 * 86400)
    expired = rating.make_token(order)
    monkeypatch.setattr(signing.time, "time", real)
    # A rectification order signed the same way is not a demand; a value signed without the salt is not a link.
    rectification = WorkOrder.objects.create(kind=Kind.RECTIFICATION, title="整改", grid=order.grid,
                                             deadline=order.deadline, state=State.CLOSED)
    not_a_demand = signing.dumps([rectification.pk, 0], salt=rating.SALT, compress=False)
    other_salt = signing.dumps([order.pk, 0], compress=False)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    forged = token.replace(signing.b64_encode(f"[{order.pk},0]".encode()).decode(),
                           signing.b64_encode(f"[{other.pk},0]".encode()).decode())
    before = (_state(order), _state(other))
    cases = {expired: "该评价链接已过期", tampered: "该评价链接无效", forged: "该评价链接无效",
             not_a_demand: "该评价链接无效", other_salt: "该评价链接无效", "nonsense": "该评价链接无效"}
    for bad, message in cases.items():
        for response in (Client().get(f"/public/rating/{bad}/"),
                         Client().post(f"/public/rating/{bad}/", {"satisfaction": "dissatisfied"})):
            assert message in response.content.decode(), bad
            assert 'data-testid="rating-form"' not in response.content.decode()
    assert (_state(order), _state(other)) == before
    assert not Notification.objects.filter(order__in=[order, other], message__contains="不满意").exists()
    # The valid token changes its own order only.
    orders.rate_by_requester(token, satisfaction="basically_satisfied")
    assert _state(other) == before[1]


def test_bad_answer_is_refused_field_by_field_and_the_link_stays_usable(economy):
    order = _close(economy, _demand(economy))
    path = f"/public/rating/{rating.make_token(order)}/"
    before = _state(order)
    response = Client().post(path, {"satisfaction": "great", "comment": "x" * 501})
    html = response.content.decode()
    assert response.status_code == 422 and "请选择您的评价" in html and 'data-testid="rating-form"' in html
    assert _state(order) == before
    assert Client().post(path, {"satisfaction": "satisfied"}).status_code == 200
    order.refresh_from_db()
    assert order.satisfaction_source == "requester"


def test_staff_entry_is_marked_and_a_reopened_order_gets_a_fresh_link(economy):
    order = _close(economy, _demand(economy), "basically_satisfied")
    token = rating.make_token(order)
    assert order.satisfaction_source == "staff"
    orders.rate_by_requester(token, satisfaction="satisfied")
    orders.reopen(economy.users["admin"], order, comment="企业反映仍有问题")
    order.refresh_from_db()
    assert (order.satisfaction, order.satisfaction_source, order.satisfaction_comment) == ("", "", "")
    orders.start(economy.users["econ"], order)
    orders.submit_for_verification(economy.users["econ"], order)
    orders.verify_and_close(economy.users["admin"], order, satisfaction="dissatisfied")  # staff: reopens
    order.refresh_from_db()
    assert (order.state, order.satisfaction_source) == (State.REOPENED, "staff")
    orders.start(economy.users["econ"], order)
    orders.submit_for_verification(economy.users["econ"], order)
    _closed = orders.verify_and_close(economy.users["admin"], order, satisfaction="satisfied")
    with pytest.raises(rating.RatingRefused):
        orders.rate_by_requester(token, satisfaction="satisfied")  # the first link is spent
    orders.rate_by_requester(rating.make_token(order), satisfaction="satisfied")  # a fresh one works
    order.refresh_from_db()
    assert order.satisfaction_source == "requester"


def test_figures_and_export_count_who_answered_like_a_direct_count(economy, login):
    closed = [_close(economy, _demand(economy, c, t)) for c, t in
              (("permits", "许可"), ("financing", "贷款"), ("staff", "招工"), ("policy", "政策"))]
    _demand(economy, "other", "未办结")
    for order in closed[:2]:
        orders.rate_by_requester(rating.make_token(order), satisfaction="satisfied")
    admin = login(economy.users["admin"])
    data = admin.get("/api/v1/enterprises/figures", headers={
        "Authorization": f"Bearer {economy.world.token('admin')}"}).json()
    by_source = {r["source"]: r["total"] for r in data["demands"]["by_source"]}
    direct = {source: _sql_count("SELECT COUNT(*) FROM workorders_workorder WHERE kind = 'demand' "
                                 "AND satisfaction <> '' AND satisfaction_source = %s", [source])
              for source in ("requester", "staff")}
    assert by_source == direct == {"requester": 2, "staff": 2}
    assert figures.demand_figures(WorkOrder.objects.filter(kind=Kind.DEMAND))["answered"] == 4
    overview = admin.get("/economy/").content.decode().split('data-testid="satisfaction-source"')[1][:600]
    assert "企业自评" in overview and "工作人员代录" in overview

    response = admin.get("/ledgers/work-orders/export.xlsx", {"kind": "demand"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=3)]
    assert sum(r["评价来源"] == "企业自评" for r in rows) == direct["requester"]
    assert sum(r["评价来源"] == "工作人员代录" for r in rows) == direct["staff"]
    assert len(rows) == _sql_count("SELECT COUNT(*) FROM workorders_workorder WHERE kind = 'demand'")


def test_the_public_page_is_rate_limited(economy, settings):
    from django.core.cache import cache

    cache.clear()
    settings.REQUESTER_RATING_RATE_LIMIT = 2
    path = f"/public/rating/{rating.make_token(_demand(economy))}/"
    client = Client()
    assert [client.get(path).status_code for _ in range(3)][-1] == 429
    cache.clear()
