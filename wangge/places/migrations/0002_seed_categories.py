"""The categories of the source document, so every deployment starts with them (editable later)."""

from django.db import migrations

CATEGORIES = [
    ("restaurant", "餐饮"), ("market", "农贸市场"), ("supermarket", "商超"), ("salon", "美容美发"),
    ("hotel", "宾馆"), ("entertainment", "娱乐场所"), ("office", "商务楼宇"), ("shop", "沿街商铺"),
    ("internet_cafe", "网吧"), ("gym", "健身场所"), ("training", "培训机构"), ("express", "快递网点"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    category = apps.get_model("places", "PremisesCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
