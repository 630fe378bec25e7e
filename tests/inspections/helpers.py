"""A campaign over the test world: the epidemic checklist, a day and a night team of an inspector and
a market-supervision officer (an enforcement unit), planned from today."""

import datetime
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wangge.inspections import services
from wangge.inspections.choices import CampaignStatus, Shift
from wangge.inspections.models import Campaign, Checklist, ChecklistItem, Team
from wangge.inspections.planning import plan_campaign
from wangge.inspections.seed import ensure_checklists
from wangge.places.models import PremisesCategory

COMPLIANT = {"venue_code_applied": "yes", "venue_code_posted": "yes", "everyone_scans": "yes",
             "staff_protection": "yes", "staff_count": "5", "staff_tested": "5", "disinfection": "yes",
             "no_unpermitted_opening": "yes"}


def checklists():
    ensure_checklists(Checklist, ChecklistItem, PremisesCategory)
    return {c.code: c for c in Checklist.objects.filter(is_current=True)}


def campaign(world, days: int = 3, plan: bool = True) -> Campaign:
    lists = checklists()
    today = timezone.localdate()
    admin = world.users["admin"]
    c = services.save_campaign(admin, Campaign(town=world.town, name="重点场所大排查", starts_on=today,
                                               ends_on=today + datetime.timedelta(days=days - 1),
                                               checklist=lists["epidemic"], status=CampaignStatus.ACTIVE,
                                               key_only=True))
    team_members = [world.users["inspector"], world.users["officer"]]
    services.save_team(admin, Team(campaign=c, name="一组", shift=Shift.DAY), team_members)
    services.save_team(admin, Team(campaign=c, name="夜查组", shift=Shift.NIGHT), team_members)
    if plan:
        plan_campaign(admin, c)
    return c


def photo(name: str = "photo.jpg", size=(64, 48), exif: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "PhoneMaker"  # Make
        info[0x8825] = {2: (31.0, 12.0, 30.0)}  # GPS latitude
        image.save(out, "JPEG", exif=info)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def submit(world, task, username="inspector", answers=None, outcome="compliant", client_id=None, **kw):
    user = world.users[username]
    kw.setdefault("inspectors", [world.users["officer"]] if username == "inspector" else [])
    return services.submit_inspection(user, client_id=client_id or uuid.uuid4(), task=task,
                                      answers=answers if answers is not None else dict(COMPLIANT),
                                      outcome=outcome, **kw)
