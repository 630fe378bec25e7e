from django.contrib import admin

from .models import ReportRoute


@admin.register(ReportRoute)
class ReportRouteAdmin(admin.ModelAdmin):
    """The routing table is back-office configuration: which department answers each category."""

    list_display = ("town", "category", "department")
    list_filter = ("town",)
    list_editable = ("department",)
    list_display_links = ("category",)
