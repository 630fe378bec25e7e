"""Wrong words in the Chinese catalogue (#22.3): one English word used for two concepts got one
translation that fits only one of them. Each concept now has its own context; these are the words
people reported, read back through the models and ledgers that show them."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from wangge.community.choices import GateControl, ScreeningStatus, SuggestionStatus
from wangge.community.ledgers import ResidentKind
from wangge.community.ledgers_screening import SupplyLedgerKind
from wangge.community.models import Resident, Stock, SupplyItem
from wangge.inspections.choices import CampaignStatus
from wangge.inspections.models import Campaign, Team
from wangge.places.choices import PremisesStatus
from wangge.workorders.choices import State
from wangge.workorders.models import WorkOrder


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_import_confirmation_says_imported_not_exported():
    assert gettext("Imported:") == "已导入："
    assert gettext("Back to the ledgers") == "返回台账"
    assert gettext("The file is not a readable table.") == "文件不是可读取的表格。"


def test_gate_modes_are_not_work_order_or_business_states():
    assert str(GateControl.CLOSED.label) == "封闭"
    assert str(GateControl.OPEN.label) == "开放（不设卡）"
    assert str(SuggestionStatus.OPEN.label) == "待处理"
    # the words they borrowed keep their own meaning where they belong
    assert str(State.CLOSED.label) == "已办结"
    assert str(PremisesStatus.OPEN.label) == "正常营业"


def test_closed_campaign_has_ended_and_a_draft_is_a_draft():
    assert str(CampaignStatus.CLOSED.label) == "已结束"
    assert str(CampaignStatus.DRAFT.label) == "草稿"
    assert str(WorkOrder._meta.get_field("closed_at").verbose_name) == "办结时间"


def test_names_of_things_are_not_names_of_people():
    assert str(Team._meta.get_field("name").verbose_name) == "名称"
    assert str(Campaign._meta.get_field("name").verbose_name) == "名称"
    assert str(Resident._meta.get_field("name").verbose_name) == "姓名"
    assert ResidentKind.columns[0].heading() == "姓名*"


def test_supplies_are_not_checklist_items_or_sampling_sites():
    assert str(SupplyItem._meta.get_field("name").verbose_name) == "物资品种"
    assert str(Stock._meta.get_field("item").verbose_name) == "物资品种"
    labels = {c.key: c.heading() for c in SupplyLedgerKind.columns}
    assert labels["item"] == "物资品种" and labels["site"] == "存放点"
    assert str(ScreeningStatus.NOT_YET.label) == "未检测"
