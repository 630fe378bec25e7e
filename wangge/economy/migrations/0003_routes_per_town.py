"""Demand routing per town: (town, category) -> department (docs/TOWNS.md)."""

import django.db.models.deletion
from django.db import migrations, models

from wangge.core.migrations._towns import spread_routes

CHOICES = [("rent_relief", "rent relief"),
           ("financing", "financing, loans and guarantees"),
           ("staff", "staff and hiring"),
           ("supply_chain", "supply chain, logistics and passes"),
           ("resumption", "resuming work and protective supplies"),
           ("policy", "policy advice and applications"),
           ("tax", "tax and fees"),
           ("premises", "business premises"),
           ("permits", "licences and approvals"),
           ("other", "other")]
CATEGORIES = [c for c, _label in CHOICES]


def forwards(apps, schema_editor):
    spread_routes(apps, "economy", "DemandRoute", lambda: CATEGORIES)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_department_town"),
        ("economy", "0002_seed_demand_routes"),
    ]

    operations = [
        migrations.AddField(
            model_name="demandroute",
            name="town",
            field=models.ForeignKey(null=True, limit_choices_to={"level": "town"},
                                    on_delete=django.db.models.deletion.CASCADE, related_name="demand_routes",
                                    to="core.area", verbose_name="town"),
        ),
        migrations.AlterField(
            model_name="demandroute",
            name="category",
            field=models.CharField(choices=CHOICES, max_length=24, verbose_name="category"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="demandroute",
            name="town",
            field=models.ForeignKey(limit_choices_to={"level": "town"}, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="demand_routes", to="core.area", verbose_name="town"),
        ),
        migrations.AlterModelOptions(
            name="demandroute",
            options={"ordering": ["town_id", "id"], "verbose_name": "demand route",
                     "verbose_name_plural": "demand routes"},
        ),
        migrations.AddConstraint(
            model_name="demandroute",
            constraint=models.UniqueConstraint(fields=("town", "category"), name="demand_route_once"),
        ),
    ]
