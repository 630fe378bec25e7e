"""The inspection ledger (检查台账) as .xlsx, in the layout a town sends upwards: one row per
inspection with the premises, where it is, who answers for it, the team and shift, every item's
answer, the outcome, the deadline and the re-inspection's result. Phones stay masked."""

import io

from django.db.models import Prefetch
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from wangge.core.models import User
from wangge.core.tabular.writing import inert

from .choices import InspectionKind
from .models import Answer, Campaign, Checklist, Inspection

FIXED_HEADERS = ["序号", "检查日期", "检查时间", "班次", "检查组", "检查人员", "场所名称", "统一社会信用代码",
                 "场所类别", "地址", "居民区", "网格", "路长", "负责人", "联系电话"]
TAIL_HEADERS = ["问题数", "处置结果", "立查立改情况", "整改事项", "整改期限", "停业整改", "关停依据", "复查日期",
                "复查结果", "销项日期", "工单号", "备注"]
YES_NO = {"yes": "是", "no": "否"}


def inspection_ledger(campaign: Campaign, user: User) -> tuple[bytes, int]:
    with translation.override("zh-hans"):  # a ledger sent upwards is in Chinese, whatever the UI language
        return _ledger(campaign, user)


def _ledger(campaign: Campaign, user: User) -> tuple[bytes, int]:
    inspections = (Inspection.objects.visible_to(user).filter(campaign=campaign, premises__isnull=False)
                   .select_related("premises__grid__parent", "premises__category", "premises__segment__chief", "team",
                                   "work_order")
                   .prefetch_related("inspectors", Prefetch("answers", queryset=Answer.objects.only(
                       "inspection_id", "item_id", "value", "is_violation")),
                       Prefetch("reinspections", queryset=Inspection.objects.order_by("inspected_at")))
                   .order_by("inspected_at", "id"))
    # Item columns: every item of every revision used, by code, in checklist order.
    items: dict[str, str] = {}
    item_code: dict[int, str] = {}
    used = Checklist.objects.filter(pk__in=inspections.values("checklist_id")) or [campaign.checklist]
    for checklist in used:
        for item in checklist.items.all():
            items.setdefault(item.code, item.text)
            item_code[item.pk] = item.code
    book = Workbook(write_only=True)
    sheet = book.create_sheet("检查台账")
    period = f"{campaign.starts_on:%Y.%m.%d}—{campaign.ends_on:%Y.%m.%d}"
    title = WriteOnlyCell(sheet, f"{campaign.name} 检查台账（{period}）")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append([f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}；联系电话已脱敏"])
    header = []
    for text in [*FIXED_HEADERS, *items.values(), *TAIL_HEADERS]:
        cell = WriteOnlyCell(sheet, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for n, inspection in enumerate(inspections.iterator(chunk_size=500), start=1):
        sheet.append([inert(v) for v in _row(n, inspection, list(items), item_code)])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


def _row(n: int, i: Inspection, codes: list[str], item_code: dict[int, str]) -> list:
    p = i.premises
    when = timezone.localtime(i.inspected_at)
    answers = {item_code.get(a.item_id): YES_NO.get(a.value, a.value) + ("（问题）" if a.is_violation else "")
               for a in i.answers.all()}
    later = list(i.reinspections.all()) if i.kind == InspectionKind.ROUTINE else []
    last = later[-1] if later else None
    order = i.work_order
    return [
        n, when.date(), when.strftime("%H:%M"), i.get_shift_display(), i.team.name if i.team else "",
        "、".join(str(u) for u in i.inspectors.all()), p.name, p.credit_code, p.category.name, p.address,
        p.grid.parent.name if p.grid.parent else "", p.grid.name,
        str(p.segment.chief) if p.segment and p.segment.chief else "",
        p.contact_name or p.operator, p.contact_phone_masked,
        *[answers.get(code, "") for code in codes],
        i.violation_count, i.get_outcome_display() + ("（复查）" if i.kind == InspectionKind.REINSPECTION else ""),
        i.fixed_description, i.rectification_items, i.deadline or "", "是" if i.suspended else "", i.legal_reason,
        timezone.localtime(last.inspected_at).date() if last else "",
        ("通过" if last.passed else "未通过") if last else "",
        timezone.localtime(order.closed_at).date() if order and order.closed_at else "",
        order.pk if order else "", i.notes,
    ]
