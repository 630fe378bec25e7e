"""Shared steps of the migrations that make a routing table per town (docs/TOWNS.md)."""


def spread_routes(apps, app_label: str, model_name: str, categories) -> None:
    """Give the rows of a global routing table to the one town there is; with no town or several, drop the
    empty rows, then give every town one row per category. Rows with a department and no single town to
    give them to stop the migration: that choice is a person's."""
    area, route = apps.get_model("core", "Area"), apps.get_model(app_label, model_name)
    towns = list(area.objects.filter(level="town").order_by("path"))
    if len(towns) == 1:
        route.objects.filter(town__isnull=True).update(town=towns[0])
    elif route.objects.filter(town__isnull=True, department__isnull=False).exists():
        raise RuntimeError(f"{model_name}: routes name departments but there is not exactly one town to give "
                           "them to; set each route's town by hand (docs/TOWNS.md), then migrate again.")
    else:
        route.objects.filter(town__isnull=True).delete()
    for town in towns:
        have = set(route.objects.filter(town=town).values_list("category", flat=True))
        route.objects.bulk_create([route(town=town, category=c) for c in categories() if c not in have])
