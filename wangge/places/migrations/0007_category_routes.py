"""The regulating department of a premises category, per town (docs/TOWNS.md): each category's department
moves to a CategoryRoute of the one town there is; every town gets a row per category."""

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    area, category = apps.get_model("core", "Area"), apps.get_model("places", "PremisesCategory")
    route = apps.get_model("places", "CategoryRoute")
    towns = list(area.objects.filter(level="town").order_by("path"))
    regulated = category.objects.filter(department__isnull=False)
    if regulated.exists() and len(towns) != 1:
        raise RuntimeError("Premises categories name regulating departments but there is not exactly one town: "
                           "set them per town by hand (docs/TOWNS.md), then migrate again.")
    for town in towns:
        route.objects.bulk_create([route(town=town, category=c, department_id=c.department_id)
                                   for c in category.objects.all()])


def backwards(apps, schema_editor):
    category, route = apps.get_model("places", "PremisesCategory"), apps.get_model("places", "CategoryRoute")
    for row in route.objects.filter(department__isnull=False).order_by("town__path"):
        category.objects.filter(pk=row.category_id, department__isnull=True).update(department=row.department_id)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_department_town"),
        ("places", "0006_map_geometry"),
    ]

    operations = [
        migrations.CreateModel(
            name="CategoryRoute",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("version", models.PositiveIntegerField(default=1, verbose_name="version")),
                ("category", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="routes",
                                               to="places.premisescategory", verbose_name="category")),
                ("department", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                                 related_name="regulated_categories", to="core.department",
                                                 verbose_name="regulating department")),
                ("town", models.ForeignKey(limit_choices_to={"level": "town"},
                                           on_delete=django.db.models.deletion.CASCADE,
                                           related_name="category_routes", to="core.area", verbose_name="town")),
            ],
            options={
                "verbose_name": "regulating department",
                "verbose_name_plural": "regulating departments",
                "ordering": ["town_id", "category__sort_order", "category__code"],
                "constraints": [models.UniqueConstraint(fields=("town", "category"), name="category_route_once")],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="premisescategory",
            name="department",
        ),
    ]
