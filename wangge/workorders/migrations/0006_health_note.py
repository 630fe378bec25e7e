"""A resident's medical need copied into a work order moves out of the plain description into the
encrypted health details (#20.9)."""

from django.db import migrations

import wangge.core.fields


def move_medical_needs(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    for order in WorkOrder.objects.filter(kind="resident_need", category="medical").exclude(description=""):
        order.health_note, order.description = order.description, ""
        order.save(update_fields=["health_note", "description"])  # the field encrypts on the way in


class Migration(migrations.Migration):

    dependencies = [
        ('workorders', '0005_notification_key_notification_link_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='workorder',
            name='health_note',
            field=wangge.core.fields.EncryptedTextField(blank=True, verbose_name='health details'),
        ),
        migrations.RunPython(move_medical_needs, migrations.RunPython.noop),
    ]
