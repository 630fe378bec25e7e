"""Briefs kept before the file storage held them lay under WANGGE_VAR_DIR/briefs/<year>/…: copy each
into the storage (briefs/<year>/…) and point the row at it. A file already gone stays as it was (the
download answers 404, as before)."""

from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations


def forwards(apps, schema_editor):
    Brief = apps.get_model("dashboard", "Brief")
    old_dir = Path(settings.VAR_DIR) / "briefs"
    for brief in Brief.objects.exclude(docx_file__startswith="briefs/"):
        for field in ("docx_file", "pdf_file"):
            source = old_dir / getattr(brief, field)
            if source.is_file():
                setattr(brief, field, default_storage.save(f"briefs/{getattr(brief, field)}",
                                                           ContentFile(source.read_bytes())))
        brief.save(update_fields=["docx_file", "pdf_file"])


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
