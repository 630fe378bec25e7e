"""Three of the premises table's fourteen indexes go: `premises_segment` repeated the segment key's own
index, and the grid and category keys' own indexes are served by the composite indexes that lead with
them (premises_grid_status, premises_category_status). An import writes every index on every row.

The keys' indexes are dropped by name as the database reports them, not through AlterField: on SQLite
that rebuilds the table, and the rebuild would drop the dashboard's roll-up triggers on it.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "places_premises"
COLUMNS = (["grid_id"], ["category_id"])


def drop_key_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, about in constraints.items():
        if about["index"] and not about["unique"] and not about["primary_key"] and about["columns"] in COLUMNS:
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_key_indexes(apps, schema_editor):
    for (column,) in COLUMNS:
        schema_editor.execute(f"CREATE INDEX {schema_editor.quote_name(f'{TABLE}_{column}_restored')} "
                              f"ON {TABLE} ({schema_editor.quote_name(column)})")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0015_import_digest'),
        ('places', '0007_category_routes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='premises',
            name='premises_segment',
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='premises',
                    name='category',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='premises', to='places.premisescategory',
                                            verbose_name='category'),
                ),
                migrations.AlterField(
                    model_name='premises',
                    name='grid',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name='premises', to='core.area', verbose_name='grid'),
                ),
            ],
            database_operations=[migrations.RunPython(drop_key_indexes, restore_key_indexes)],
        ),
    ]
