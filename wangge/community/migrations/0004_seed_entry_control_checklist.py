from django.db import migrations


def seed(apps, schema_editor):
    from wangge.community.entry_control import CHECKLIST
    from wangge.inspections.seed import ensure_checklists

    ensure_checklists(apps.get_model("inspections", "Checklist"), apps.get_model("inspections", "ChecklistItem"),
                      apps.get_model("places", "PremisesCategory"), [CHECKLIST])


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0003_duplicatesuggestion_gate_screeningresult_and_more"),
        ("inspections", "0004_inspections_of_any_subject"),
        ("places", "0002_seed_categories"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
