"""The pages: the ranking with its drill-down (the same query as the figure), own figures and what
counts, the scheme and report-definition forms (bad input refused in Chinese, nothing changed), the
report and review pages through their whole way (draft, edit, submit, return, approve, files)."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.assessment.generated import END, START, generate
from wangge.assessment import services
from wangge.assessment.choices import DocStatus, SubjectKind
from wangge.assessment.indicators import BY_KEY, Bounds, Value, compute
from wangge.assessment.models import PeriodReport, ReportDefinition, Review, Scheme
from wangge.assessment.scoring import figures, total

pytestmark = pytest.mark.django_db
WEIGHTS = {"tasks_on_time": 30, "orders_on_time": 30, "reopen_rate": 10, "satisfaction": 10,
           "overdue_per_100": 10, "care_visits": 5, "first_response": 5}


@pytest.fixture
def scheme(world):
    generate(world)
    return services.save_scheme(world.users["leader"], None, name="三月考核", starts_on=START, ends_on=END,
                                weights=WEIGHTS)


def test_the_score_is_the_weighted_mean_of_what_a_subject_has_records_for():
    values = {"orders_on_time": Value(4, 3, 75.0, 75.0), "reopen_rate": Value(2, 1, 50.0, 50.0)}
    assert total(values, {"orders_on_time": 30, "reopen_rate": 10, "satisfaction": 60}) == 68.8  # (30*75+10*50)/40
    assert total({}, WEIGHTS) is None
    assert BY_KEY["first_response"].score(12.0) == 100.0 and BY_KEY["first_response"].score(48.0) == 50.0
    assert BY_KEY["reopen_rate"].score(20.0) == 80.0 and BY_KEY["satisfaction"].score(None) is None


def test_ranking_drills_down_to_the_records_counted(world, scheme, client):
    client.force_login(world.users["leader"])
    page = client.get("/assessment/?kind=grid_worker")
    assert page.status_code == 200
    rows = page.context["rows"]
    ranked = [r["row"] for r in rows if r["row"].score is not None]
    assert ranked and [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    worker = world.users["gridworker"]
    mine = next(r for r in rows if r["row"].subject_id == worker.pk)
    cell = next(c for c in mine["cells"] if c["indicator"].key == "orders_on_time")
    expected = compute(BY_KEY["orders_on_time"], SubjectKind.GRID_WORKER, Bounds(START, END))[worker.pk]
    listed = client.get(cell["url"])
    assert listed.context["page"].paginator.count == expected.counted
    met = client.get(cell["met_url"])
    assert met.context["page"].paginator.count == expected.met
    for kind in SubjectKind.values:
        assert client.get(f"/assessment/?kind={kind}").status_code == 200
    sheet = client.get("/assessment/sheet.xlsx?kind=grid_worker")
    book = load_workbook(io.BytesIO(sheet.content)).active
    lines = list(book.iter_rows(values_only=True))
    assert lines[1][:3] == ("名次", "名称", "分值")
    assert [line[1] for line in lines[2:]] == [r["row"].name for r in rows]


def test_a_grid_worker_sees_own_figures_and_what_counts_not_others(world, scheme, client):
    client.force_login(world.users["gridworker"])
    page = client.get("/assessment/mine/")
    assert page.status_code == 200
    [block] = page.context["blocks"]
    ranked = figures(SubjectKind.GRID_WORKER, Bounds(START, END), WEIGHTS)
    own = next(r for r in ranked if r.subject_id == world.users["gridworker"].pk)
    assert block["row"].score == own.score and block["row"].rank == own.rank
    text = page.content.decode()
    assert "考核口径" in text and "期限在本期内的工单" in text
    assert client.get("/assessment/").status_code == 403  # the ranking is the leaders'
    other = world.users["inspector"]
    refused = client.get(f"/assessment/records/?scheme={scheme.pk}&indicator=orders_on_time&kind=inspector"
                         f"&subject={other.pk}")
    assert refused.status_code == 403
    assert client.get(f"/assessment/records/?scheme={scheme.pk}&indicator=nothing&kind=inspector").status_code == 404
    own_cell = client.get(f"/assessment/records/?scheme={scheme.pk}&indicator=care_visits&kind=grid_worker"
                          f"&subject={world.users['gridworker'].pk}&part=met")
    assert own_cell.status_code == 200
    client.force_login(world.users["cadre"])
    [hood] = client.get("/assessment/mine/").context["blocks"]
    assert hood["name"] == "林泉"
    client.force_login(world.users["officer"])
    [department] = client.get("/assessment/mine/").context["blocks"]
    assert department["name"] == "市场监督管理所"
    world.departments["market"].__class__.objects.filter(pk=world.departments["market"].pk).update(is_active=False)
    assert client.get("/assessment/mine/").context["blocks"] == []


def test_scheme_form_refuses_bad_weights_in_chinese_and_saves_good_ones(world, scheme, client):
    client.force_login(world.users["leader"])
    base = {"name": "新方案", "starts_on": "2025-03-01", "ends_on": "2025-03-31"}
    zero = client.post("/assessment/schemes/new/", {**base, **{f"w_{k}": 0 for k in WEIGHTS}})
    assert "请至少为一项指标设置权重" in zero.content.decode()
    backwards = client.post("/assessment/schemes/new/", {**base, "ends_on": "2025-02-01", "w_orders_on_time": 5})
    assert "第一天不能晚于最后一天" in backwards.content.decode() or backwards.status_code == 200
    too_heavy = client.post("/assessment/schemes/new/", {**base, "w_orders_on_time": 101})
    assert too_heavy.status_code == 200 and Scheme.objects.count() == 1
    client.post(f"/assessment/schemes/{scheme.pk}/", {**base, "version": scheme.version, "w_orders_on_time": 7})
    scheme.refresh_from_db()
    assert scheme.name == "新方案" and scheme.weights["orders_on_time"] == 7 and scheme.weights["tasks_on_time"] == 0
    stale = client.post(f"/assessment/schemes/{scheme.pk}/", {**base, "version": 1, "w_orders_on_time": 9})
    assert "其他人修改" in stale.content.decode() or "已被" in stale.content.decode()
    scheme.refresh_from_db()
    assert scheme.weights["orders_on_time"] == 7
    assert client.get("/assessment/schemes/new/").status_code == 200


def test_report_and_review_pages_from_draft_to_approved(world, client):
    leader, officer = world.users["leader"], world.users["officer"]
    client.force_login(leader)
    assert client.get("/assessment/reports/definitions/new/").status_code == 200
    made = client.post("/assessment/reports/definitions/new/", {
        "name": "月报", "period": "month", "figures": ["workorders.open"], "indicators": ["orders_on_time"],
        "areas": [world.hoods["linquan"].pk]})
    assert made.status_code == 302
    definition = ReportDefinition.objects.get()
    empty = client.post(f"/assessment/reports/definitions/{definition.pk}/", {
        "name": "月报", "period": "month", "version": definition.version})
    assert "请至少选择一项数据或指标" in empty.content.decode()
    client.force_login(officer)
    assert client.get("/assessment/reports/").status_code == 200
    bad = client.post("/assessment/reports/new/", {"definition": definition.pk, "starts_on": "2025-03-02"})
    assert "第一天开始" in bad.content.decode() and not PeriodReport.objects.exists()
    made = client.post("/assessment/reports/new/", {"definition": definition.pk, "starts_on": "2025-03-01"})
    report = PeriodReport.objects.get()
    assert made.url == f"/assessment/reports/{report.pk}/"
    assert client.get(made.url).context["can_submit"]
    client.post(f"/assessment/reports/{report.pk}/submit/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == DocStatus.SUBMITTED
    client.force_login(leader)
    assert client.get(f"/assessment/reports/{report.pk}/").context["can_approve"]
    client.post(f"/assessment/reports/{report.pk}/approve/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == DocStatus.APPROVED
    client.force_login(officer)
    client.post(f"/assessment/reports/{report.pk}/correct/", {"reason": "补录"})
    assert PeriodReport.objects.filter(previous=report, number=2).exists()
    assert client.post(f"/assessment/reports/{report.pk}/nonsense/").status_code == 404
    # A review of March 2025, written, returned once, approved, numbered.
    assert client.get("/assessment/reviews/new/").status_code == 200
    none = client.post("/assessment/reviews/new/", {"title": "三月复盘"})
    assert "请选择时段或专项行动" in none.content.decode()
    client.post("/assessment/reviews/new/", {"title": "三月复盘", "starts_on": "2025-03-01", "ends_on": "2025-03-31"})
    review = Review.objects.get()
    assert review.frozen["compared_with"] == "上一时段"
    client.post(f"/assessment/reviews/{review.pk}/", {"title": "三月工作复盘", "text": "第一段。\n第二段。",
                                                      "version": review.version})
    review.refresh_from_db()
    assert review.title == "三月工作复盘"
    client.post(f"/assessment/reviews/{review.pk}/submit/", {"version": review.version})
    review.refresh_from_db()
    locked = client.post(f"/assessment/reviews/{review.pk}/", {"title": "改", "text": "", "version": review.version},
                         follow=True)
    assert "不能再修改" in locked.content.decode()
    client.force_login(leader)
    client.post(f"/assessment/reviews/{review.pk}/return/", {"version": review.version, "note": "补充对比"})
    review.refresh_from_db()
    assert review.status == DocStatus.RETURNED and review.return_note == "补充对比"
    client.force_login(officer)
    client.post(f"/assessment/reviews/{review.pk}/submit/", {"version": review.version})
    client.force_login(leader)
    review.refresh_from_db()
    client.post(f"/assessment/reviews/{review.pk}/approve/", {"version": review.version})
    review.refresh_from_db()
    assert review.doc_number == "新泾镇复盘〔2025〕1号"
    word = client.get(f"/assessment/reviews/{review.pk}/file.docx")
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert paragraphs[:2] == ["三月工作复盘", "新泾镇复盘〔2025〕1号"] and "第二段。" in paragraphs
    assert client.get(f"/assessment/reviews/{review.pk}/file.pdf")["Content-Type"] == "application/pdf"
    assert client.get(f"/assessment/reviews/{review.pk}/file.txt").status_code == 404
    assert client.get("/assessment/reviews/").status_code == 200


def test_the_ranking_takes_the_same_queries_for_more_people(world, scheme, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_user
    from wangge.core.roles import Role
    from wangge.workorders.models import WorkOrder

    client.force_login(world.users["leader"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get("/assessment/?kind=grid_worker").status_code == 200
        return len(seen)

    before = queries()
    for n in range(5):
        worker = make_user(f"more{n}", Role.GRID_WORKER, [world.grids["beihong2"]])
        WorkOrder.objects.create(kind="other", title=f"更多{n}", grid=world.grids["beihong2"], deadline=START,
                                 assignee=worker)
    assert queries() == before
