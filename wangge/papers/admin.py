from django.contrib import admin

from .models import PaperUnit


@admin.register(PaperUnit)
class PaperUnitAdmin(admin.ModelAdmin):
    """Each unit's number prefix and name on its papers (docs/PAPERS.md)."""

    list_display = ("department", "prefix", "issuer_name")
    search_fields = ("department__name", "prefix")
