"""A campaign belongs to a town (docs/TOWNS.md). An existing campaign goes to the town its areas lie in, or,
naming none (or areas of several towns), to the one town there is; with neither, the migration stops with a
message."""

import django.db.models.deletion
from django.db import migrations, models


def town_of(paths: list[str], towns: dict[str, int]) -> int | None:
    """The one town all these area paths lie in, or None."""
    found = {next((pk for path, pk in towns.items() if area.startswith(path)), None) for area in paths}
    return found.pop() if len(found) == 1 else None


def assign_town(apps, schema_editor):
    area, campaign = apps.get_model("core", "Area"), apps.get_model("inspections", "Campaign")
    towns = dict(area.objects.filter(level="town").values_list("path", "pk"))
    only = next(iter(towns.values())) if len(towns) == 1 else None
    stuck = []
    for row in campaign.objects.filter(town__isnull=True).prefetch_related("areas").order_by("pk"):
        town = town_of([a.path for a in row.areas.all()], towns) or only
        if town is None:
            stuck.append(row.name)
            continue
        campaign.objects.filter(pk=row.pk).update(town=town)
    if stuck:
        raise RuntimeError(
            f"Campaigns {', '.join(stuck[:5])}{' …' if len(stuck) > 5 else ''} name no areas of a single town and "
            "there is not exactly one town to give them to: give each areas of its town (docs/TOWNS.md), then "
            "migrate again.")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0014_department_town"),
        ("inspections", "0008_photos_off_the_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaign",
            name="town",
            field=models.ForeignKey(null=True, limit_choices_to={"level": "town"},
                                    on_delete=django.db.models.deletion.PROTECT, related_name="campaigns",
                                    to="core.area", verbose_name="town"),
        ),
        migrations.RunPython(assign_town, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="campaign",
            name="town",
            field=models.ForeignKey(limit_choices_to={"level": "town"}, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="campaigns", to="core.area", verbose_name="town"),
        ),
    ]
