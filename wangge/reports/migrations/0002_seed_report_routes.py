"""One route per report category, to the department that answers it (codes from core/demo.py).

A department missing from the database leaves the route empty (the neighbourhood assigns by hand); the
demo and the Django admin fill it in later.
"""

from django.db import migrations

DEFAULT_ROUTES = {
    "sanitation": "CYZX", "street_order": "ZFD", "roads": "CYZX", "noise": "ZFD", "safety": "PAB",
    "building": "ZFD", "food": "SJS", "epidemic": "PAB", "other": "",
}


def seed(apps, schema_editor):
    ReportRoute = apps.get_model("reports", "ReportRoute")
    Department = apps.get_model("core", "Department")
    departments = {d.code: d for d in Department.objects.filter(code__in=set(DEFAULT_ROUTES.values()))}
    for category, code in DEFAULT_ROUTES.items():
        ReportRoute.objects.get_or_create(category=category, defaults={"department": departments.get(code)})


def unseed(apps, schema_editor):
    apps.get_model("reports", "ReportRoute").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
