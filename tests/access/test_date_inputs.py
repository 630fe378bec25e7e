"""#22.2: every date box carries an ISO value. A browser's <input type=date> accepts only 2026-12-05;
the Chinese date format 2026/12/05 leaves it empty, so an edited campaign could not be saved without
typing both dates again. Every page an administrator opens on the access estate is scanned."""

import re
from html.parser import HTMLParser

from wangge.core.models import User

from .routes import PAGES, PUBLIC
from .test_chinese_pages import SKIP, urls

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateBoxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []  # (name, value) of every <input type=date>

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("type") == "date":
            self.found.append((values.get("name") or values.get("id"), values.get("value")))


def date_boxes(html: str) -> list[tuple[str, str]]:
    parser = DateBoxes()
    parser.feed(html)
    return parser.found


def test_every_date_box_an_administrator_opens_is_iso(estate, client):
    client.force_login(User.objects.get(username="admin"))
    bad, seen, filled = [], 0, set()
    for name, rule in PAGES.items():
        if rule == PUBLIC or name in SKIP:
            continue
        for url in urls(name, rule, estate.rows):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for field, value in date_boxes(response.content.decode()):
                seen += 1
                if value:
                    filled.add(name)
                    if not ISO_DATE.match(value):
                        bad.append(f"{url} ({name}) {field}={value!r}")
    assert bad == [], "\n".join(bad)
    # The pages the issue names were among those scanned with a value in their date boxes.
    assert {"inspections:campaign_edit", "inspections:lookback_create", "economy:visit_create"} <= filled, filled
    assert seen > 20
