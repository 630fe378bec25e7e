"""One route per demand category, to the department that answers it (codes from core/demo.py).

A department missing from the database leaves the route empty (the town assigns by hand); the demo
and the routing page fill it in later.
"""

from django.db import migrations

DEFAULT_ROUTES = {
    "rent_relief": "JFB", "financing": "JFB", "staff": "JFB", "supply_chain": "CYZX", "resumption": "PAB",
    "policy": "JFB", "tax": "JFB", "premises": "GJB", "permits": "SJS", "other": "JFB",
}


def seed(apps, schema_editor):
    DemandRoute = apps.get_model("economy", "DemandRoute")
    Department = apps.get_model("core", "Department")
    departments = {d.code: d for d in Department.objects.filter(code__in=set(DEFAULT_ROUTES.values()))}
    for category, code in DEFAULT_ROUTES.items():
        DemandRoute.objects.get_or_create(category=category, defaults={"department": departments.get(code)})


def unseed(apps, schema_editor):
    apps.get_model("economy", "DemandRoute").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("economy", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
