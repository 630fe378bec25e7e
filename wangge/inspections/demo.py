"""The demo campaign replays the source: all 401 key premises inspected by grid and road chief over
twelve days and nights of July 2022 by a seven-unit task force of about 120 people; 15 suspended for
rectification (most re-inspected since), 3 shut; and a look-back round planned from the day the demo
is loaded, so the demo inspectors find tasks under "My tasks today".

Every inspection goes through `services.submit_inspection`, so orders, suspensions and shutdowns
follow from the outcomes exactly as in the field. Idempotent: skipped when the campaign exists."""

import datetime
import io
import random
import uuid

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from wangge.core.demo import DEMO_PASSWORD, TOWN_CODE
from wangge.core.models import Area, Department, User, UserRole
from wangge.core.roles import Role
from wangge.places.models import Premises, PremisesCategory

from . import risk, scans, services
from .choices import CampaignStatus, Outcome, Shift, TaskReason
from .models import Campaign, Checklist, ChecklistItem, Task, Team, VenueScan
from .planning import plan_campaign
from .seed import ensure_checklists

NAME = "“防疫情、稳经济、保安全”重点场所大排查"
STARTS, ENDS = datetime.date(2022, 7, 4), datetime.date(2022, 7, 15)
PLAN = ("按照“防疫情、稳经济、保安全”工作要求，由平安办牵头，经发办、规建办、城运中心、派出所、执法队、市场所组成"
        "工作专班，对全镇401家重点场所按网格、按路段、由路长带队开展“白+黑”全覆盖检查：场所码申领张贴和应扫尽扫、"
        "从业人员防护和每日核酸、消杀记录、娱乐场所未经许可不得开业；发现问题立查立改，整改不到位的停业整顿，"
        "整改合格方可恢复营业；检查结束后开展“回头看”。")
UNITS = ["PAB", "JFB", "GJB", "CYZX", "PCS", "ZFD", "SJS"]
ENFORCEMENT = ["PCS", "ZFD", "SJS"]
OTHERS = ["PAB", "JFB", "GJB", "CYZX"]
DAY_TEAMS, NIGHT_TEAMS = 28, 12
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
            "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
SHUTDOWN_REASON = "疫情防控期间未经许可擅自开业，依据《中华人民共和国传染病防治法》第四十二条责令关停"
COMPLIANT = {"venue_code_applied": "yes", "venue_code_posted": "yes", "everyone_scans": "yes",
             "staff_protection": "yes", "staff_count": "6", "staff_tested": "6", "disinfection": "yes",
             "no_unpermitted_opening": "yes"}
FIXES = [({"venue_code_posted": "no"}, "场所码当场重新张贴于入口醒目位置", "venue_code_posted"),
         ({"staff_protection": "no"}, "督促员工当场规范佩戴口罩", "staff_protection"),
         ({"everyone_scans": "no"}, "当场安排专人在门口引导扫码、查验", "everyone_scans")]
RECTIFY = [({"disinfection": "no"}, "建立消杀台账，每日按规定开展消杀并记录"),
           ({"staff_tested": "3"}, "在岗员工每日核酸全覆盖，建立员工核酸台账")]


def load(context: dict) -> None:
    ensure_checklists(Checklist, ChecklistItem, PremisesCategory)
    _regulating_units()
    if Campaign.objects.filter(name=NAME).exists():
        return
    rng = random.Random(401)
    departments = {d.code: d for d in Department.objects.filter(code__in=UNITS, town__code=TOWN_CODE)}
    admin = User.objects.get(username="admin")
    people = _task_force(rng, departments)
    campaign = services.save_campaign(
        admin, Campaign(town=Area.objects.get(code=TOWN_CODE), name=NAME, plan=PLAN, starts_on=STARTS, ends_on=ENDS,
                        status=CampaignStatus.ACTIVE,
                        checklist=Checklist.objects.get(code="epidemic", is_current=True), key_only=True),
        departments=list(departments.values()))
    _teams(admin, campaign, people, DAY_TEAMS, NIGHT_TEAMS)
    plan_campaign(admin, campaign, today=STARTS)
    _replay(rng, campaign)
    services.set_campaign_status(admin, campaign, CampaignStatus.CLOSED)
    _venue_scans(rng)
    _lookback(admin, campaign, people)


def _regulating_units() -> None:
    """Fire safety is the safety office's; opening without a permit the law-enforcement team's; the rest
    of the epidemic checklist follows the premises category (docs/INSPECTIONS.md, routing)."""
    units = {d.code: d for d in Department.objects.filter(code__in=["PAB", "ZFD"])}
    Checklist.objects.filter(code="fire", department__isnull=True).update(department=units.get("PAB"))
    ChecklistItem.objects.filter(checklist__code="epidemic", code="no_unpermitted_opening",
                                 department__isnull=True).update(department=units.get("ZFD"))


def _task_force(rng: random.Random, departments: dict) -> dict[str, list[User]]:
    """Officers of the seven units (market supervision, law enforcement and police first) and the road
    chiefs: the pool the teams are drawn from."""
    town = Area.objects.get(code=TOWN_CODE)
    password = make_password(DEMO_PASSWORD)
    people: dict[str, list[User]] = {"enforcement": [], "other": [], "chiefs": []}
    for n in range(1, 97):
        code = ENFORCEMENT[n % 3] if n <= 52 else OTHERS[n % 4]
        username = f"jc{n:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            user = User.objects.create(username=username, full_name=name, password=password)
            user.areas.set([town])
            user.departments.set([departments[code]])
            UserRole.objects.create(user=user, role=Role.INSPECTOR)
        people["enforcement" if code in ENFORCEMENT else "other"].append(user)
    people["chiefs"] = list(User.objects.filter(road_segments__isnull=False).distinct().order_by("username"))
    for username in ("inspector", "officer"):
        demo_user = User.objects.filter(username=username).first()
        if demo_user is not None:
            people["enforcement"].insert(0, demo_user)
    return people


def _teams(admin: User, campaign: Campaign, people: dict, day: int, night: int) -> None:
    """Each team: an enforcement officer, an officer of another unit, and by day a road chief, by night
    a second enforcement officer — about 120 people in all."""
    enforcement, other, chiefs = people["enforcement"], people["other"], people["chiefs"]
    for n in range(day + night):
        shift = Shift.DAY if n < day else Shift.NIGHT
        members = [enforcement[n % len(enforcement)], other[n % len(other)]]
        if shift == Shift.DAY and chiefs:
            members.append(chiefs[n % len(chiefs)])
        else:
            members.append(enforcement[(day + night + n - day) % len(enforcement)])
        label = f"白班{n + 1}组" if shift == Shift.DAY else f"夜查{n - day + 1}组"
        services.save_team(admin, Team(campaign=campaign, name=label, shift=shift), members)


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 60, 60)).save(out, "JPEG")
    return SimpleUploadedFile("现场照片.jpg", out.getvalue(), content_type="image/jpeg")


def _moment(task: Task, rng: random.Random) -> datetime.datetime:
    hour = rng.randrange(9, 17) if task.shift == Shift.DAY else rng.choice([19, 20, 21, 22, 23])
    local = datetime.datetime.combine(task.planned_on, datetime.time(hour, rng.randrange(60)))
    return timezone.make_aware(local)


def _replay(rng: random.Random, campaign: Campaign) -> None:
    tasks = list(campaign.tasks.select_related("premises__category", "team").order_by("planned_on", "id"))
    entertainment = [t for t in tasks if t.premises.category.code == "entertainment"]
    shut = {t.pk for t in rng.sample(entertainment, 3)}
    rest = [t for t in tasks if t.pk not in shut]
    suspend = {t.pk for t in rng.sample(rest, 15)}
    fixed = {t.pk for t in rng.sample([t for t in rest if t.pk not in suspend], 41)}
    orders = []
    for task in tasks:
        members = list(task.team.members.all())
        actor = next(m for m in members if m.departments.filter(is_enforcement=True).exists())
        answers, photos, extra = dict(COMPLIANT), [], {"outcome": Outcome.COMPLIANT}
        if task.pk in shut:
            answers["no_unpermitted_opening"] = "no"
            photos = [("no_unpermitted_opening", _photo())]
            extra = {"outcome": Outcome.SHUTDOWN, "legal_reason": SHUTDOWN_REASON}
        elif task.pk in suspend:
            change, items = rng.choice(RECTIFY)
            answers.update(change)
            extra = {"outcome": Outcome.RECTIFICATION, "rectification_items": items, "suspend": True,
                     "deadline": task.planned_on + datetime.timedelta(days=rng.choice([3, 5, 7]))}
        elif task.pk in fixed:
            change, what, item = rng.choice(FIXES)
            answers.update(change)
            photos = [(item, _photo())]
            extra = {"outcome": Outcome.FIXED, "fixed_description": what}
        inspection, _created = services.submit_inspection(
            actor, client_id=uuid.UUID(int=rng.getrandbits(128)), task=task, answers=answers, photos=photos,
            inspectors=members, inspected_at=_moment(task, rng), questioned="店长" if rng.random() < 0.7 else "负责人",
            **extra)
        if inspection.work_order_id:
            orders.append(inspection)
    # Re-inspections at the deadline: most pass, one fails and gets a new deadline, five are still due.
    for n, first in enumerate(sorted(orders, key=lambda i: i.pk)[:10]):
        follow = Task.objects.get(work_order=first.work_order, reason=TaskReason.REINSPECTION, state="planned")
        members = list(first.inspectors.all())
        moment = _moment(follow, rng)
        if n < 9:
            services.submit_inspection(first.submitted_by, client_id=uuid.UUID(int=rng.getrandbits(128)), task=follow,
                                       answers=dict(COMPLIANT), inspectors=members, inspected_at=moment,
                                       outcome=Outcome.COMPLIANT, questioned="店长")
        else:
            services.submit_inspection(first.submitted_by, client_id=uuid.UUID(int=rng.getrandbits(128)), task=follow,
                                       answers=dict(COMPLIANT, disinfection="no"), inspectors=members,
                                       inspected_at=moment, outcome=Outcome.RECTIFICATION, suspend=True,
                                       rectification_items="消杀台账仍不完整，限期补齐",
                                       deadline=follow.planned_on + datetime.timedelta(days=5), questioned="店长")


def _venue_scans(rng: random.Random) -> None:
    """A week of daily scans per posted venue code, as the venue-code system exports them; six places
    have the code on the wall but hardly anyone scans it."""
    premises = list(Premises.objects.exclude(venue_code_number="").filter(status="open")
                    .order_by("pk").values_list("pk", "venue_code_number", "staff_count"))
    idle = {pk for pk, _code, _staff in rng.sample(premises, 6)}
    rows = []
    for pk, code, staff in premises:
        typical = (staff or 5) * rng.uniform(6, 12)
        for n in range(7):
            day = ENDS - datetime.timedelta(days=n)
            count = rng.randrange(0, 4) if pk in idle else round(typical * rng.uniform(0.7, 1.3))
            rows.append(VenueScan(code_number=code, date=day, scans=count, premises_id=pk))
    VenueScan.objects.bulk_create(rows, batch_size=2000)
    scans.assess(as_of=ENDS)
    risk.refresh_all()


def _lookback(admin: User, campaign: Campaign, people: dict) -> None:
    """The look-back round, from today: the demo inspector, officer and grid worker lead the first team."""
    today = timezone.localdate()
    lookback = services.create_lookback(admin, campaign, name="重点场所大排查“回头看”", starts_on=today,
                                        ends_on=today + datetime.timedelta(days=4), share=20, seed=2022)
    first = list(User.objects.filter(username__in=["inspector", "officer", "gridworker"]))
    if len(first) == 3:
        services.save_team(admin, Team(campaign=lookback, name="回头看1组", shift=Shift.DAY), first)
    enforcement, other = people["enforcement"][2:], people["other"]
    for n in range(1, 8):
        shift = Shift.DAY if n < 6 else Shift.NIGHT
        members = [enforcement[n], other[n], enforcement[n + 20]]
        services.save_team(admin, Team(campaign=lookback, name=f"回头看{n + 1}组", shift=shift), members)
    plan_campaign(admin, lookback, today=today)
    services.set_campaign_status(admin, lookback, CampaignStatus.ACTIVE)
