"""Departments belong to a town (docs/TOWNS.md): existing ones go to the one town there is."""

import django.db.models.deletion
from django.db import migrations, models


def assign_town(apps, schema_editor):
    area, department = apps.get_model("core", "Area"), apps.get_model("core", "Department")
    if not department.objects.exists():
        return
    towns = list(area.objects.filter(level="town").order_by("path")[:2])
    if len(towns) != 1:
        raise RuntimeError("Departments exist but there is not exactly one town to give them to: set each "
                           "department's town by hand (docs/TOWNS.md), then migrate again.")
    department.objects.update(town=towns[0])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0013_background_jobs"),
    ]

    operations = [
        migrations.AddField(
            model_name="department",
            name="town",
            field=models.ForeignKey(null=True, limit_choices_to={"level": "town"},
                                    on_delete=django.db.models.deletion.PROTECT, related_name="departments",
                                    to="core.area", verbose_name="town"),
        ),
        migrations.RunPython(assign_town, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="department",
            name="town",
            field=models.ForeignKey(limit_choices_to={"level": "town"}, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="departments", to="core.area", verbose_name="town"),
        ),
        migrations.AlterField(
            model_name="department",
            name="code",
            field=models.CharField(max_length=32, verbose_name="code"),
        ),
        migrations.AlterField(
            model_name="department",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterModelOptions(
            name="department",
            options={"ordering": ["town_id", "code"], "verbose_name": "department",
                     "verbose_name_plural": "departments"},
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("town", "code"), name="department_town_code",
                                               violation_error_message="This town already has a department with "
                                                                       "this code."),
        ),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.UniqueConstraint(fields=("town", "name"), name="department_town_name",
                                               violation_error_message="This town already has a department with "
                                                                       "this name."),
        ),
        migrations.AlterField(
            model_name="userrole",
            name="role",
            field=models.CharField(choices=[
                ("admin", "Administrator"), ("town_admin", "Town administrator"), ("town_leader", "Town leader"),
                ("department_officer", "Department officer"), ("neighbourhood_cadre", "Neighbourhood cadre"),
                ("grid_worker", "Grid worker"), ("inspector", "Inspector"), ("family_doctor", "Family doctor"),
                ("sampling_staff", "Sampling-site staff"),
                ("health_centre_staff", "Community health centre staff")], max_length=32, verbose_name="role"),
        ),
    ]
