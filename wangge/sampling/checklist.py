"""The sampling-standard checklist (核酸采样点规范检查): what an inspection of a sampling site answers,
in the format of `wangge/inspections/seed.py`; seeded by migration 0002."""

SAMPLING_STANDARD = ("sampling_site", "核酸采样点规范检查",
                     "采样规范、个人防护、消毒、样本保存转运、医疗废物、防暑降温和现场秩序。", [
    ("protection", "采样人员按规范穿戴防护服、N95口罩、面屏、双层手套", "yes_no", ["no"],
     {"severity": "critical", "photo": True}),
    ("hand_disinfection", "每采一人进行手消毒", "yes_no", ["no"], {"severity": "critical"}),
    ("one_metre", "排队人员保持一米间距，有一米线标识", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("sample_storage", "样本按要求冷藏保存、及时转运并有交接记录", "yes_no", ["no"], {"severity": "critical"}),
    ("medical_waste", "医疗废物分类收集、双层包扎、专人转运", "yes_no", ["no"], {"severity": "major", "photo": True}),
    ("information", "扫码登记信息与样本一一对应", "yes_no", ["no"], {"severity": "major"}),
    ("heat", "有遮阳、饮水、降温等防暑措施", "yes_no", ["no"], {"severity": "major"}),
    ("queue_minutes", "现场排队等候（分钟）", "number", [], {"required": False, "max": 60, "severity": "minor"}),
    ("remarks", "其他情况", "text", [], {"required": False}),
])
