"""The two checklists every installation starts with. Called by migration 0002 with historical
models, and by tests and the demo with the real ones; idempotent (matched by code)."""

# (code, text, kind, violating answers, extra) — extra: choices, at_least_item, photo, severity, categories
EPIDEMIC = ("epidemic", "重点场所疫情防控检查",
            "防疫情：场所码申领张贴、应扫尽扫、员工防护与每日核酸、消杀记录、娱乐场所未经许可不得开业。", [
    ("venue_code_applied", "已申领场所码", "yes_no", ["no"], {"severity": "major"}),
    ("venue_code_posted", "场所码已在入口醒目位置张贴", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("everyone_scans", "进入人员逢进必扫、逢扫必验", "yes_no", ["no"], {"severity": "critical", "photo": True}),
    ("staff_protection", "从业人员规范佩戴口罩等防护用品", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("staff_count", "在岗员工人数", "number", [], {"severity": "minor"}),
    ("staff_tested", "当日已做核酸的员工人数", "number", [], {"at_least_item": "staff_count", "severity": "critical"}),
    ("disinfection", "按规定开展消杀并有记录", "yes_no", ["no"], {"severity": "major"}),
    ("no_unpermitted_opening", "未经许可未擅自开业", "yes_no", ["no"],
     {"severity": "critical", "photo": True, "categories": ["entertainment", "internet_cafe"]}),
    ("remarks", "其他情况", "text", [], {"required": False}),
])
FIRE = ("fire", "消防安全检查", "保安全：消防通道、灭火器材、电气线路、燃气使用、人员密集场所疏散。", [
    ("exits_clear", "安全出口、疏散通道畅通", "yes_no", ["no"], {"severity": "critical", "photo": True}),
    ("extinguishers", "灭火器配置到位且在有效期内", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("wiring", "电气线路规范，无私拉乱接", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("gas", "燃气使用规范，安装报警和切断装置", "choice", ["无报警装置"],
     {"choices": ["规范", "无报警装置", "不使用燃气"], "severity": "critical",
      "categories": ["restaurant", "market", "hotel"]}),
    ("occupants", "现场人数", "number", [], {"required": False, "max": 300}),
    ("evacuation_plan", "有疏散预案并张贴疏散图", "yes_no", ["no"], {"severity": "minor"}),
])
CHECKLISTS = [EPIDEMIC, FIRE]


def ensure_checklists(Checklist, ChecklistItem, PremisesCategory, checklists=None) -> None:  # noqa: N803
    """Create the given checklists (default: the two above) unless a checklist with the code exists.
    Other apps seed theirs (a compound's entry control, a sampling site's standard) the same way."""
    categories = {c.code: c for c in PremisesCategory.objects.all()}
    for code, name, description, items in CHECKLISTS if checklists is None else checklists:
        if Checklist.objects.filter(code=code).exists():
            continue
        checklist = Checklist.objects.create(code=code, name=name, description=description)
        for order, (item_code, text, kind, violating, extra) in enumerate(items, start=1):
            item = ChecklistItem.objects.create(
                checklist=checklist, order=order, code=item_code, text=text, kind=kind, violation_values=violating,
                choices=extra.get("choices", []), at_least_item=extra.get("at_least_item", ""),
                violation_min=extra.get("min"), violation_max=extra.get("max"),
                severity=extra.get("severity", "major"), required=extra.get("required", True),
                photo_required_when_violated=extra.get("photo", False))
            wanted = [categories[c] for c in extra.get("categories", []) if c in categories]
            if wanted:
                item.categories.set(wanted)
