"""What a paper says, composed from its inspection when it is made and kept on the paper (`content`).

One layout serves every kind: a title, the header facts (party, address, time, inspectors), the body
paragraphs before and after the numbered items, then the signature block, the issuer and the date (pdf.py, docx.py and
the page draw the same dict). Always in Chinese: it is an official document, whatever the UI language."""

from django.utils import timezone, translation

from wangge.inspections.choices import InspectionKind, Outcome

from .choices import PaperKind

TITLES = {
    PaperKind.RECORD: "现场检查笔录",
    PaperKind.RECTIFICATION: "责令改正通知书",
    PaperKind.SUSPENSION: "责令停业整顿决定书",
    PaperKind.SHUTDOWN: "关停决定书",
    PaperKind.REINSPECTION: "复查意见书",
}
ANSWERS = {"yes": "是", "no": "否"}


def allowed_kinds(inspection) -> list[str]:
    """The kinds of paper this inspection can give, in the order they are handed over."""
    if inspection.premises_id is None:
        return []
    kinds = [PaperKind.RECORD]
    if inspection.kind == InspectionKind.REINSPECTION:
        kinds.append(PaperKind.REINSPECTION)
    elif inspection.outcome == Outcome.RECTIFICATION:
        kinds.append(PaperKind.RECTIFICATION)
        if inspection.suspended:
            kinds.append(PaperKind.SUSPENSION)
    if inspection.outcome == Outcome.SHUTDOWN:
        kinds.append(PaperKind.SHUTDOWN)
    return kinds


def day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def moment(value) -> str:
    local = timezone.localtime(value)
    return f"{day(local)}{local:%H:%M}"


def _answer(a) -> str:
    return ANSWERS.get(a.value, a.value) or "—"


def compose(inspection, kind: str, issued_on) -> dict:
    with translation.override("zh-hans"):
        return _compose(inspection, kind, issued_on)


def _compose(inspection, kind, issued_on) -> dict:
    premises = inspection.premises
    answers = list(inspection.answers.select_related("item"))
    violated = [f"{a.item.text}（检查结果：{_answer(a)}）" for a in answers if a.is_violation]
    inspectors = sorted({u.full_name or u.username for u in inspection.inspectors.all()}
                        | ({inspection.submitted_by.full_name or inspection.submitted_by.username}
                           if inspection.submitted_by else set()))
    fields = [["当事人", premises.name], ["地址", premises.address]]
    if premises.credit_code:
        fields.append(["统一社会信用代码", premises.credit_code])
    fields += [["检查时间", moment(inspection.inspected_at)], ["检查人员", "、".join(inspectors)]]
    when, party = moment(inspection.inspected_at), f"{premises.name}："
    deadline, items, before, after = day(inspection.deadline), violated, [], []
    if kind == PaperKind.RECORD:
        if inspection.questioned:
            fields.append(["被询问人", inspection.questioned])
        items = [f"{a.item.text}：{_answer(a)}{'（存在问题）' if a.is_violation else ''}" for a in answers]
        before = [f"{when}，执法人员{'、'.join(inspectors)}依据《{inspection.checklist.name}》对当事人经营场所"
                  f"进行现场检查，逐项检查情况如下："]
        after = [f"检查结论：{inspection.get_outcome_display()}。"]
        if inspection.fixed_description:
            after.append(f"立查立改：{inspection.fixed_description}")
        if inspection.rectification_items:
            after.append(f"责令整改：{inspection.rectification_items}，限{deadline}前完成。")
        if inspection.legal_reason:
            after.append(f"关停依据：{inspection.legal_reason}")
        if inspection.notes:
            after.append(f"备注：{inspection.notes}")
        after.append("以上笔录经当事人核对无误。")
    elif kind == PaperKind.RECTIFICATION:
        suspend = "，并自即日起停业整改，经复查合格后方可恢复营业" if inspection.suspended else ""
        before = [party, f"{when}，本单位执法人员对你单位进行现场检查，发现存在下列问题："]
        after = [f"整改要求：{inspection.rectification_items}"] if inspection.rectification_items else []
        after.append(f"现责令你单位于{deadline}前改正上述问题{suspend}。逾期不改正的，本单位将依法处理。")
    elif kind == PaperKind.SUSPENSION:
        before = [party, f"{when}，本单位执法人员对你单位进行现场检查，发现存在下列问题："]
        after = [f"决定你单位自{day(issued_on)}起停业整顿，于{deadline}前完成整改："
                 f"{inspection.rectification_items}。整改完成后经复查合格，方可恢复营业。",
                 "如不服本决定，可以依法申请行政复议或者提起行政诉讼。"]
    elif kind == PaperKind.SHUTDOWN:
        before = [party, f"{when}，本单位执法人员对你单位进行现场检查，发现存在下列情形："]
        after = [f"依据：{inspection.legal_reason}", "现决定对你单位予以关停。",
                 "如不服本决定，可以依法申请行政复议或者提起行政诉讼。"]
    elif kind == PaperKind.REINSPECTION:
        first = inspection.reinspection_of
        since = f"{moment(first.inspected_at)}检查发现的问题" if first else "此前检查发现的问题"
        before = [party, f"本单位于{when}对你单位{since}进行复查"
                  + ("，复查时仍存在下列问题：" if violated else "。")]
        if inspection.outcome == Outcome.SHUTDOWN:
            after.append("复查意见：整改不到位，予以关停。")
        elif inspection.passed:
            after.append("复查意见：已整改到位，复查合格" + ("，准予恢复营业。" if inspection.status_set == "open"
                                                              else "。"))
        else:
            after.append(f"复查意见：未整改到位，责令于{deadline}前继续整改，逾期将依法处理。")
    if not items and kind in (PaperKind.RECTIFICATION, PaperKind.SUSPENSION, PaperKind.SHUTDOWN):
        # No violated item answered (a problem outside the checklist): the inspector's own words.
        text = inspection.rectification_items if kind != PaperKind.SHUTDOWN else inspection.legal_reason
        items = [line.strip() for line in text.splitlines() if line.strip()]
    return {"title": TITLES[kind], "fields": fields, "before": before, "items": items, "after": after,
            "deadline": deadline}
