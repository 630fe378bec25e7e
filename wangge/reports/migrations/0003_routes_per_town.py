"""Public report routing per town: (town, category) -> department (docs/TOWNS.md)."""

import django.db.models.deletion
from django.db import migrations, models

from wangge.core.migrations._towns import spread_routes

CHOICES = [("sanitation", "environmental sanitation"),
           ("street_order", "street order and stalls"),
           ("roads", "roads and public facilities"),
           ("noise", "noise nuisance"),
           ("safety", "safety hazard"),
           ("building", "illegal construction"),
           ("food", "food safety"),
           ("epidemic", "epidemic prevention"),
           ("other", "other matters")]
CATEGORIES = [c for c, _label in CHOICES]


def forwards(apps, schema_editor):
    spread_routes(apps, "reports", "ReportRoute", lambda: CATEGORIES)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_department_town"),
        ("reports", "0002_seed_report_routes"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportroute",
            name="town",
            field=models.ForeignKey(null=True, limit_choices_to={"level": "town"},
                                    on_delete=django.db.models.deletion.CASCADE, related_name="report_routes",
                                    to="core.area", verbose_name="town"),
        ),
        migrations.AlterField(
            model_name="reportroute",
            name="category",
            field=models.CharField(choices=CHOICES, max_length=24, verbose_name="category"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportroute",
            name="town",
            field=models.ForeignKey(limit_choices_to={"level": "town"}, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="report_routes", to="core.area", verbose_name="town"),
        ),
        migrations.AlterModelOptions(
            name="reportroute",
            options={"ordering": ["town_id", "id"], "verbose_name": "report route",
                     "verbose_name_plural": "report routes"},
        ),
        migrations.AddConstraint(
            model_name="reportroute",
            constraint=models.UniqueConstraint(fields=("town", "category"), name="report_route_once"),
        ),
    ]
