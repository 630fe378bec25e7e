"""Demo public reports: the routing table filled, a few reports on the demo roads (one reported twice)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.core.audit import audit_context
from wangge.core.demo import TOWN_CODE
from wangge.core.models import User
from wangge.core.services import save_versioned

from . import services
from .location import locate
from .models import PublicReport, ReportRoute

REPORTS = [  # category, description, address, phone, hours ago
    ("sanitation", "小区门口垃圾桶满溢，气味很大，已经两天没人清运。", "仙霞西路20号", "13900001111", 30),
    ("sanitation", "垃圾桶满了没人清运，路过都是臭味。", "仙霞西路20号", "", 5),
    ("street_order", "晚上有流动摊贩占用人行道卖水果，行人只能走机动车道。", "剑河路10号", "13900002222", 20),
    ("roads", "人行道地砖松动翘起，老人容易绊倒。", "哈密路30号", "", 50),
]


def _default_routes() -> dict[str, str]:
    from importlib import import_module

    return import_module("wangge.reports.migrations.0002_seed_report_routes").DEFAULT_ROUTES


def load(context: dict) -> None:
    departments = context["departments"]
    admin = User.objects.filter(username="admin").first()
    with audit_context(actor=admin):
        for route in ReportRoute.objects.filter(department__isnull=True, town__code=TOWN_CODE):
            department = departments.get(_default_routes().get(route.category, ""))
            if department is not None:
                route.department = department
                save_versioned(route, route.version)
        if PublicReport.objects.exists():
            return
        now = timezone.now()
        for category, text, address, phone, hours in REPORTS:
            try:
                place = locate(address)
            except ValidationError:  # a demo town without that road: no report there
                place = None
            if place is not None:
                services.receive(None, services.clean_input(category, text, phone), place,
                                 now=now - datetime.timedelta(hours=hours))
