"""Demo neighbourhood work: compounds with residents (synthetic people, valid check characters), three
screening rounds with realistic coverage, elderly people living alone with care visits and needs, and
supplies with stock and distributions. Only a few neighbourhoods, so `wangge demo` stays fast; each part
is skipped when its rows exist (idempotent)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from wangge.core.demo import NEIGHBOURHOODS, TOWN_CODE
from wangge.core.models import Area, AreaLevel

from .choices import ScreeningStatus
from .models import Compound, Resident, ScreeningResult, ScreeningRound, SupplyItem
from .services import care, screening, supplies
from .services.duplicates import suggest_duplicates

HOODS = ["林泉", "北虹", "新泾家苑"]
COMPOUND_NAMES = ["新村", "花苑", "公寓", "家园", "小区", "苑"]
PEOPLE_PER_COMPOUND = 80
ITEMS = [("大米", "袋"), ("食用油", "桶"), ("口罩", "盒"), ("抗原试剂", "盒")]


def _hoods() -> list[Area]:
    codes = [f"{TOWN_CODE}{NEIGHBOURHOODS.index(h) + 1:03d}" for h in HOODS]
    return list(Area.objects.filter(code__in=codes, level=AreaLevel.NEIGHBOURHOOD).order_by("code"))


def load_compounds(admin, rng: random.Random) -> list[Compound]:
    if Compound.objects.exists():
        return list(Compound.objects.filter(neighbourhood__in=_hoods()))
    from .choices import GateControl
    from .models import Gate
    from .services.compounds import save_compound, save_gate

    made = []
    for hood in _hoods():
        for n, grid in enumerate(Area.objects.filter(parent=hood, level=AreaLevel.GRID).order_by("code")):
            for k in range(2):
                name = f"{hood.name}{COMPOUND_NAMES[(2 * n + k) % len(COMPOUND_NAMES)]}"
                made.append(save_compound(admin, Compound(
                    name=name, grid=grid, address=f"{hood.name}路{rng.randrange(1, 900)}弄",
                    buildings=6, households=rng.randrange(180, 260), population=rng.randrange(380, 560))))
                save_gate(admin, Gate(compound=made[-1], name="南门", control=GateControl.ENTRY_EXIT, staff=2,
                                      hours="0:00-24:00"))
                save_gate(admin, Gate(compound=made[-1], name="北门", control=GateControl.CLOSED))
    return made


def load_residents(admin, rng: random.Random, compounds: list[Compound]) -> None:
    from .demo import GIVEN, SURNAMES, synthetic_id_number
    from .services import build_resident, managed_grid_ids, register_residents

    if Resident.objects.filter(compound__isnull=False).exists():
        return
    managed = managed_grid_ids(admin)
    seen = set(Resident.objects.values_list("id_number_hash", flat=True))
    built = []
    for compound in compounds:
        for _ in range(PEOPLE_PER_COMPOUND):
            born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 88))
            age = (datetime.date(2022, 4, 1) - born).days // 365
            building, room = rng.randrange(1, 7), f"{rng.randrange(1, 7)}0{rng.randrange(1, 5)}"
            resident = build_resident(
                managed, name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                id_number=synthetic_id_number(rng, born, rng.random() < 0.5), grid=compound.grid, compound=compound,
                building=f"{building}号", room=room, household=f"{compound.pk}-{building}-{room}",
                phone=f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}",
                address=f"{compound.address}{building}号{room}室",
                lives_alone=age >= 60 and rng.random() < 0.18, disabled=rng.random() < 0.02,
                bedridden=age >= 75 and rng.random() < 0.06, chronic_illness=age >= 50 and rng.random() < 0.15,
                pregnant=20 <= age <= 40 and rng.random() < 0.03, low_income=rng.random() < 0.03)
            if resident.id_number_hash not in seen:
                seen.add(resident.id_number_hash)
                built.append(resident)
    # One likely duplicate: the same person registered twice with a mistyped ID number and name.
    twin = built[3]
    again = build_resident(managed, name=twin.name[:-1] + ("英" if twin.name[-1] != "英" else "华"),
                           id_number=synthetic_id_number(rng, twin.birth_date, twin.sex == "male"), grid=twin.grid,
                           compound=twin.compound, building=twin.building, room=twin.room)
    if again.id_number_hash not in seen:
        built.append(again)
    register_residents(admin, built)
    suggest_duplicates([c.pk for c in compounds])


def load_rounds(admin, rng: random.Random, compounds: list[Compound], today: datetime.date) -> None:
    if ScreeningRound.objects.exists():
        return
    by_hood = {}
    for c in compounds:
        by_hood.setdefault(c.neighbourhood_id, []).append(c)
    for n, days_ago in enumerate((14, 7, 1), start=1):
        for hood_compounds in by_hood.values():
            r = screening.open_round(admin, name=f"第{n}轮全员核酸筛查", date=today - datetime.timedelta(days=days_ago),
                                     compounds=hood_compounds)
            # Earlier rounds are nearly complete; yesterday's still has doors to knock on.
            tested, exempt, away = [], [], []
            for result_id in r.results.values_list("pk", flat=True):
                roll = rng.random()
                if roll < 0.02:
                    exempt.append(result_id)
                elif roll < 0.06:
                    away.append(result_id)
                elif roll < (0.97 if days_ago > 1 else 0.82):
                    tested.append(result_id)
            moment = timezone.make_aware(datetime.datetime.combine(r.date, datetime.time(9)))
            ScreeningResult.objects.filter(pk__in=tested).update(status=ScreeningStatus.TESTED, tested_at=moment)
            ScreeningResult.objects.filter(pk__in=exempt).update(status=ScreeningStatus.EXEMPT,
                                                                 exempt_reason="卧床，已安排上门采样")
            ScreeningResult.objects.filter(pk__in=away).update(status=ScreeningStatus.AWAY)


NEEDS = [("daily_life", "行动不便，需要代买米面和蔬菜"), ("medical", "降压药快吃完了，需要代配药"),
         ("supplies", "家中口罩和消毒用品不足")]


def load_visits(admin, rng: random.Random, today: datetime.date) -> None:
    from .models import CareVisit

    if CareVisit.objects.exists():
        return
    hoods = _hoods()
    alone = care.special_groups(Resident.objects.filter(compound__neighbourhood__in=hoods), today).filter(
        lives_alone=True).order_by("pk")
    for resident in alone:
        if rng.random() < 0.3:
            continue  # not visited yet: they head the "not visited" list
        need = rng.choice(NEEDS) if rng.random() < 0.2 else None
        care.record_care_visit(admin, resident, visited_on=today - datetime.timedelta(days=rng.randrange(0, 21)),
                               visitors="居委干部、网格员", condition=rng.choice(["good", "good", "fair", "poor"]),
                               notes="精神尚可，独自在家。", needs={need[0]: need[1]} if need else {}, today=today)


def load_supplies(admin, rng: random.Random, today: datetime.date) -> None:
    if SupplyItem.objects.exists():
        return
    items = [supplies.save_item(admin, SupplyItem(name=n, unit=u)) for n, u in ITEMS]
    for hood in _hoods():
        site = supplies.open_site(admin, office_of=hood)
        for item in items:
            supplies.receive(admin, site, item, rng.randrange(80, 200), on=today - datetime.timedelta(days=10),
                             counterparty="镇物资保障组")
        stocks = {s.item.name: s for s in site.stocks.select_related("item")}
        for stock in stocks.values():
            stock.refresh_from_db()
            supplies.set_low_level(admin, stock, Decimal(30), stock.version)
        receivers = list(supplies.recipients(site, admin, today)[:40])
        supplies.distribute(admin, stocks["大米"], receivers, 1, on=today - datetime.timedelta(days=5),
                            note="保供物资，特殊群体优先")
        stocks["口罩"].refresh_from_db()
        supplies.distribute(admin, stocks["口罩"], receivers[:20], 2, on=today - datetime.timedelta(days=3))
        stocks["抗原试剂"].refresh_from_db()
        supplies.issue(admin, stocks["抗原试剂"], stocks["抗原试剂"].quantity - 12,
                       on=today - datetime.timedelta(days=2), counterparty="各小区门岗")  # below its warning level
    # A compound's own store too.
    compound = Compound.objects.filter(neighbourhood__in=_hoods()).order_by("pk").first()
    if compound:
        site = supplies.open_site(admin, compound=compound)
        supplies.receive(admin, site, items[2], 50, on=today - datetime.timedelta(days=4), counterparty="居委会")


def load(admin, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    rng = random.Random(2204)  # noqa: S311  (deterministic demo data)
    compounds = load_compounds(admin, rng)
    load_residents(admin, rng, compounds)
    load_rounds(admin, rng, compounds, today)
    load_visits(admin, rng, today)
    load_supplies(admin, rng, today)
