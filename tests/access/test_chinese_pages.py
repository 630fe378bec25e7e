"""Every page, as every role, reads Chinese (#22.4): no English word outside an allow-list of names
of standards, units and brands, no raw code, no ISO timestamp.

The pages come from routes.PAGES (so a new page is checked without anyone listing it) and are opened
on the access estate's rows by people who may see them. People get Chinese names first, so a page
that shows a username where a person's name belongs is caught too.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from wangge.community.models import Resident
from wangge.core.models import Department, User
from wangge.core.roles import Role
from wangge.workorders.models import WorkOrder

from ..conftest import make_user
from .routes import LISTING, PAGES, PUBLIC, ref
from .test_every_endpoint import listing_urls

# Names of standards, file formats, units and brands a Chinese page may carry as they are.
ALLOWED = {
    "PDF", "Word", "Excel", "xlsx", "xls", "csv", "CSV", "docx", "JPEG", "PNG", "GIF", "WebP", "GeoJSON",
    "JSON", "UTF", "GBK", "IP", "ID", "KTV", "PCR", "QR", "GPS", "EXIF", "ECharts", "WGS",
    "English",  # the language switch names the other language in that language
    # The boundary import names the formats, file parts, attribute columns and coordinate systems exactly as
    # the district's GIS writes them: Shapefile (.shp .shx .dbf .prj in a .zip), .geojson, CODE/NAME, GCJ-02, BD-09.
    "GIS", "Shapefile", "shp", "shx", "dbf", "prj", "zip", "geojson", "CODE", "NAME", "GCJ", "BD",
    # The one command line a page shows, as it must be typed: an administrator's home warns that next
    # year's holiday calendar is missing, "运行 wangge holidays --year 2027" (#20.20).
    "wangge", "holidays", "year",
}
# File names the estate's users gave their attachments.
DATA = {"jpg"}
# A word of two or more Latin letters standing alone; codes mixing letters and digits (a credit code,
# a batch number, a title's "linquan1") are data, not words.
LATIN = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_]*[A-Za-z]{2}[A-Za-z_]*(?![A-Za-z0-9_])")
# ISO 8601 as a machine writes it: a T between date and time, fractions of a second, a UTC offset.
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d|:\d{2}\.\d{3,}|:\d{2}:\d{2} ?[+-]\d{2}:?\d{2}|\+\d{2}:00\b")
SKIP = {"dashboard:data", "dashboard:map_data",
        "maps:layers_data", "maps:search_data", "ledgers:template", "ledgers:export",
        "dashboard:brief_download", "inspections:photo", "inspections:photo_thumb", "inspections:campaign_ledger",
        "workorders:attachment_download", "community:resident_export", "ledgers:report"}
SURNAMES = "张李王赵孙周吴郑冯陈"
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class Text(HTMLParser):
    """What a person reads: text outside scripts and styles, the page title, and labels in attributes."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        values = dict(attrs)
        self.parts += [values[a] for a in SHOWN_ATTRIBUTES if values.get(a)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def reads(html: str) -> str:
    parser = Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def problems(text: str, allowed: set) -> list[str]:
    words = {w for w in LATIN.findall(text) if w not in allowed}
    return sorted(words) + ISO.findall(text)


def urls(name, rule, rows):
    if rule == LISTING:
        return listing_urls(name, rows)
    kwargs = rule.kwargs(rows) if isinstance(rule, ref) else rule(rows)
    return [reverse(name, kwargs=kwargs)]


def give_chinese_names(users=()):
    """Every account (and the given in-memory users the fixtures hold) gets a Chinese full name."""
    held = {u.pk: u for u in users}
    for n, user in enumerate(User.objects.order_by("pk")):
        user = held.get(user.pk, user)
        user.full_name = f"{SURNAMES[n % len(SURNAMES)]}工作人员{n}"
        user.save(update_fields=["full_name"])


@pytest.fixture
def named(world):
    """The town's people get Chinese names before the estate's records (and their messages) are made."""
    give_chinese_names(world.users.values())


@pytest.fixture
def people(named, estate):
    """One person per role (the estate's own, or one made over the whole town), all with Chinese names."""
    world, users = estate.world, {}
    for role in Role.values:
        user = User.objects.filter(role_assignments__role=role).order_by("pk").first()
        users[role] = user or make_user(f"{role}-town", role, [world.town], list(world.departments.values()))
    give_chinese_names()
    add_what_people_reported(estate)
    return {role: User.objects.get(pk=u.pk) for role, u in users.items()}


def add_what_people_reported(estate):
    """Rows behind the English people saw (#22.4): a temporary contraindication with its end date, an
    export in the access log, an enterprise visit hurting in several places with a financing demand."""
    from wangge.core.services import record_export
    from wangge.economy import services as economy
    from wangge.vaccination.services.census import record_answer

    admin = estate.world.users["admin"]
    today = timezone.localdate()
    record_answer(admin, estate.rows["resident"], reason="temporary", contraindication="acute",
                  until=today + datetime.timedelta(days=30), asked_on=today)
    record_export(admin, Resident, 15, masked=True)
    visit, _new = economy.record_visit(
        admin, estate.rows["enterprise"], visited_on=today, visitors="经发办", operating_status="normal",
        impact="slight", impact_areas=["orders", "cash_flow"], demands=[economy.Demand("financing", "贷款展期")])
    estate.extra_urls = [reverse("economy:visit_detail", kwargs={"pk": visit.pk})] + [
        reverse("workorders:order_detail", kwargs={"pk": o.pk}) for o in WorkOrder.objects.filter(kind="demand")]


def test_every_page_reads_chinese_for_every_role(named, estate, people, client):
    found = []
    for role, user in people.items():  # one estate for all roles: building it is the slow part
        client.force_login(user)
        found += [f"{role} {line}" for line in unreadable_pages(client, estate)]
    assert found == [], "\n".join(found)


def unreadable_pages(client, estate) -> list[str]:
    found = []
    for name, rule in PAGES.items():
        if rule == PUBLIC or name in SKIP:
            continue
        for url in urls(name, rule, estate.rows):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            if title and "<" in title.group(1):
                found.append(f"{url} ({name}): markup in the page title")
            extra = set()
            if name.startswith("core:user") or url.startswith("/ledgers/users/"):  # accounts: usernames too
                extra = {w for u in User.objects.values_list("username", flat=True) for w in LATIN.findall(u)}
            if name.startswith("core:department") or url.startswith("/ledgers/departments/"):  # their codes
                extra = set(Department.objects.values_list("code", flat=True))
            bad = problems(reads(html), ALLOWED | DATA | extra)
            if bad:
                found.append(f"{url} ({name}): {bad}")
    for url in getattr(estate, "extra_urls", []):
        response = client.get(url)
        if response.status_code == 200:
            bad = problems(reads(response.content.decode()), ALLOWED | DATA)
            if bad:
                found.append(f"{url}: {bad}")
    return found
