"""Demo sampling sites: 虹康休闲绿地 and five more across Xinjing, with their weekly hours and a week
of throughput per shift ending on the demo's last day. Deterministic and idempotent: sites are
matched by code, shifts by site, day and shift, and an unchanged figure is not written again."""

import datetime
import random

from django.utils import timezone

from wangge.core.demo import NEIGHBOURHOODS, TOWN_CODE
from wangge.core.models import Area, User

from . import services
from .choices import ShiftName, SiteStatus, SiteType
from .hours import Period
from .models import SamplingSite

LAST_DAY = datetime.date(2022, 7, 14)  # the district secretary's visit, the last day of the demo's visits
DAYS = 7
EVERY_DAY = range(7)
T = datetime.time
# code, name, neighbourhood, address, type, (lng, lat), capacity/h, [(weekdays, opens, closes)], heat measures
SITES = [
    ("HK01", "虹康休闲绿地", "虹康", "虹康路虹康休闲绿地内", SiteType.ROUTINE, (121.3785, 31.2162), 300,
     [(EVERY_DAY, T(7), T(11)), (EVERY_DAY, T(13), T(20))],
     "遮阳棚、移动冷风机、冰袋和防暑药品；11:00–13:00高温时段暂停；采样人员每小时轮换"),
    ("LQ01", "林泉路便民采样点", "林泉", "林泉路88号", SiteType.ROUTINE, (121.3702, 31.2131), 240,
     [(EVERY_DAY, T(6, 30), T(20, 30))], "帐篷加装空调，配备冰袋和藿香正气水"),
    ("TS01", "天山西路夜间采样点", "天山星城", "天山西路568号", SiteType.ROUTINE, (121.3661, 31.2105), 180,
     [(EVERY_DAY, T(18), T(2)), ((5, 6), T(9), T(12))], "夜间采样避开高温，配备照明和驱蚊用品"),
    ("BH01", "北虹路临时采样点", "北虹", "北虹路1125号", SiteType.TEMPORARY, (121.3747, 31.2089), 150,
     [(EVERY_DAY, T(8), T(17))], "遮阳伞、饮用水"),
    ("DW01", "定威路流动采样车", "定威路", "定威路与哈密路路口", SiteType.MOBILE, (121.3689, 31.2177), 120,
     [(range(5), T(9), T(16))], "车载空调，每两小时轮换"),
    ("XJ01", "新泾家苑采样小屋", "新泾家苑", "新泾家苑北门", SiteType.ROUTINE, (121.3624, 31.2148), 200,
     [(range(6), T(7), T(10)), (range(6), T(16), T(21))], "采样小屋内设空调，错峰采样"),
]
PAUSED = {"BH01": ("高温红色预警，暂停采样，恢复时间另行通知", datetime.date(2022, 7, 13))}
WAITS = {"HK01": 20, "LQ01": 10, "TS01": 0, "XJ01": 30, "DW01": 45}


def _grid(neighbourhood: str) -> Area:
    return Area.objects.get(code=f"{TOWN_CODE}{NEIGHBOURHOODS.index(neighbourhood) + 1:03d}001")


def _periods(spec) -> list[Period]:
    return [Period(day, opens, closes) for days, opens, closes in spec for day in days]


def _shifts(periods: list[Period], weekday: int) -> list[str]:
    """Which shifts a day's hours touch: before noon, noon to 18:00, after 18:00 (and past midnight)."""
    shifts = set()
    for p in periods:
        if p.weekday != weekday:
            continue
        end = 24 * 60 if p.past_midnight else p.closes.hour * 60 + p.closes.minute
        start = p.opens.hour * 60 + p.opens.minute
        if start < 12 * 60:
            shifts.add(ShiftName.MORNING)
        if start < 18 * 60 and end > 12 * 60:
            shifts.add(ShiftName.AFTERNOON)
        if end > 18 * 60:
            shifts.add(ShiftName.EVENING)
    return [s for s in ShiftName.values if s in shifts]


def load(context: dict) -> None:
    admin = User.objects.get(username="admin")
    sampler = User.objects.filter(username="sampler").first() or admin
    rng = random.Random(11)
    for code, name, hood, address, site_type, (lng, lat), capacity, hours, heat in SITES:
        periods = _periods(hours)
        site = SamplingSite.objects.filter(code=code).first()
        if site is None:
            site = services.save_site(admin, SamplingSite(
                code=code, name=name, address=address, grid=_grid(hood), site_type=site_type, latitude=lat,
                longitude=lng, capacity_per_hour=capacity, heat_measures=heat), None, hours=periods)
        paused = PAUSED.get(code)
        for n in range(DAYS):
            day = LAST_DAY - datetime.timedelta(days=DAYS - 1 - n)
            for shift in _shifts(periods, day.weekday()):
                samples = int(capacity * rng.uniform(1.2, 2.6))
                staff, volunteers = rng.randint(3, 6), rng.randint(4, 10)
                if paused and day >= paused[1]:
                    continue
                services.record_shift(admin, site, day, shift, samples=samples, staff_count=staff,
                                      volunteer_count=volunteers)
        if paused and site.status != SiteStatus.PAUSED:
            services.set_status(admin, site, SiteStatus.PAUSED, paused[0])
        if code in WAITS and site.wait_set_at is None:
            moment = timezone.make_aware(datetime.datetime.combine(LAST_DAY, T(9, 40)))
            actor = sampler if code == "HK01" else admin
            services.set_wait(actor, site, WAITS[code], now=moment)
    _inspect_hongkang()


def _inspect_hongkang() -> None:
    """The district secretary's visit of 14 July 2022 went to 虹康休闲绿地: the site was inspected
    against the sampling standard that day (the inspections engine, reused). Once only."""
    import uuid

    from django.contrib.contenttypes.models import ContentType

    from wangge.inspections.models import Checklist, ChecklistItem, Inspection
    from wangge.inspections.seed import ensure_checklists
    from wangge.inspections.services import submit_inspection
    from wangge.places.models import PremisesCategory

    from .checklist import SAMPLING_STANDARD

    site = SamplingSite.objects.filter(code="HK01").first()
    inspector = User.objects.filter(username="inspector").first()
    if site is None or inspector is None or Inspection.objects.filter(
            subject_type=ContentType.objects.get_for_model(SamplingSite), subject_id=site.pk).exists():
        return
    ensure_checklists(Checklist, ChecklistItem, PremisesCategory, [SAMPLING_STANDARD])
    answers = {code: "yes" for code, _text, kind, _bad, _extra in SAMPLING_STANDARD[3] if kind == "yes_no"}
    submit_inspection(inspector, client_id=uuid.UUID(int=20220714), subject=site,
                      checklist=Checklist.objects.get(code="sampling_site", is_current=True),
                      answers=answers | {"queue_minutes": "15", "remarks": "采样规范，防暑措施到位"},
                      outcome="compliant", questioned="采样点负责人",
                      inspected_at=timezone.make_aware(datetime.datetime.combine(LAST_DAY, T(10, 30))))
