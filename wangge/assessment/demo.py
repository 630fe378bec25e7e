"""Demo data of the assessment: a scheme for July 2022 and one for the last 30 days, the district's
monthly report definition with the July 2022 report approved, and the review of the July 2022 campaign
(prepared by an officer, approved by the town leader, numbered), carrying that period's 401 / 15 / 3.
Matched by name, so a second run changes nothing."""

import datetime

from django.utils import timezone

from wangge.core.models import Area, AreaLevel, User
from wangge.inspections.choices import CampaignKind
from wangge.inspections.demo import NAME as CAMPAIGN
from wangge.inspections.models import Campaign

from . import services
from .indicators import INDICATORS
from .models import PeriodReport, ReportDefinition, Review, Scheme

WEIGHTS = {"tasks_on_time": 25, "orders_on_time": 25, "reopen_rate": 10, "satisfaction": 15,
           "overdue_per_100": 10, "care_visits": 10, "first_response": 5}
DEFINITION = "区网格化管理月度数据上报"
REVIEW_TITLE = "新泾镇重点场所大排查工作复盘"
REVIEW_TEXT = ("7月4日至15日，镇平安办牵头七个部门组成工作专班，对全镇重点场所按网格、按路段开展“白+黑”全覆盖检查。\n"
               "检查中发现的问题立查立改；整改不到位的停业整顿，未经许可擅自开业的依法关停。\n"
               "下一步将对停业整顿场所逐一复查，并开展“回头看”，防止问题反弹。")


def _schemes(leader) -> None:
    assert set(WEIGHTS) == {i.key for i in INDICATORS}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for name, start, end in (("2022年7月考核", datetime.date(2022, 7, 1), datetime.date(2022, 7, 31)),
                             ("近30天考核", yesterday - datetime.timedelta(days=29), yesterday)):
        if not Scheme.objects.filter(name=name).exists():
            services.save_scheme(leader, None, name=name, starts_on=start, ends_on=end, weights=WEIGHTS)


def _report(officer, leader) -> None:
    definition = ReportDefinition.objects.filter(name=DEFINITION).first()
    if definition is None:
        definition = services.save_definition(
            leader, None, name=DEFINITION, period="month",
            figures=["inspections.inspected", "inspections.rectification_orders", "inspections.shutdowns",
                     "workorders.open", "workorders.overdue"],
            indicators=["orders_on_time", "satisfaction", "care_visits"],
            areas=Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD))
    if not PeriodReport.objects.filter(definition=definition).exists():
        report = services.prepare_report(officer, definition, datetime.date(2022, 7, 1))
        services.approve(leader, services.submit(officer, report))


def _review(officer, leader) -> None:
    if Review.objects.filter(title=REVIEW_TITLE).exists():
        return
    campaign = Campaign.objects.filter(name=CAMPAIGN, kind=CampaignKind.ROUND).first()
    if campaign is None:
        return
    review = services.draft_review(officer, title=REVIEW_TITLE, campaign=campaign)
    review = services.edit_review(officer, review, title=REVIEW_TITLE, text=REVIEW_TEXT, version=review.version)
    services.approve(leader, services.submit(officer, review))


def load(context: dict) -> None:
    leader, officer = User.objects.get(username="leader"), User.objects.get(username="officer")
    _schemes(leader)
    _report(officer, leader)
    _review(officer, leader)
